#pragma once
// The one queue from the worker threads to the UI thread: inputs for the state machine and the latest
// preview picture, under one mutex, drained once per frame. Pushing wakes the UI (glfwPostEmptyEvent).
#include "frame_pipeline.hpp"
#include "machine.hpp"

#include <functional>
#include <mutex>
#include <optional>
#include <vector>

namespace accueil::kiosk {

class Mailbox {
public:
    struct Drained {
        std::vector<Input> inputs;
        std::optional<GreyImage> preview;
        bool empty() const { return inputs.empty() && !preview; }
    };

    // Called from any thread after each push; must be cheap and thread-safe.
    void set_wake(std::function<void()> wake) {
        std::lock_guard lock(mutex_);
        wake_ = std::move(wake);
    }
    void push(Input in) {
        std::function<void()> wake;
        {
            std::lock_guard lock(mutex_);
            inputs_.push_back(std::move(in));
            wake = wake_;
        }
        if (wake)
            wake();
    }
    // Only the newest preview matters: an older one not yet drawn is replaced.
    void push_preview(GreyImage img) {
        std::function<void()> wake;
        {
            std::lock_guard lock(mutex_);
            preview_ = std::move(img);
            wake = wake_;
        }
        if (wake)
            wake();
    }
    Drained drain() {
        Drained d;
        std::lock_guard lock(mutex_);
        d.inputs.swap(inputs_);
        d.preview.swap(preview_);
        return d;
    }

private:
    std::mutex mutex_;
    std::vector<Input> inputs_;
    std::optional<GreyImage> preview_;
    std::function<void()> wake_;
};

} // namespace accueil::kiosk
