#include "audio_out.hpp"

#include <alsa/asoundlib.h>
#include <spdlog/spdlog.h>

#include <cerrno>
#include <utility>

namespace accueil::kiosk {

namespace {
void silent_alsa_errors(const char*, int, const char*, int, const char*, ...) {}
} // namespace

void quiet_alsa_errors() {
    snd_lib_error_set_handler(silent_alsa_errors);
}

std::string probe_playback(int sample_rate, bool* busy) {
    quiet_alsa_errors();
    snd_pcm_t* pcm = nullptr;
    int err = snd_pcm_open(&pcm, "default", SND_PCM_STREAM_PLAYBACK, SND_PCM_NONBLOCK);
    if (err == 0)
        err = snd_pcm_set_params(pcm, SND_PCM_FORMAT_S16_LE, SND_PCM_ACCESS_RW_INTERLEAVED, 1,
                                 unsigned(sample_rate), 1, AudioOut::kLatencyUs);
    if (pcm)
        snd_pcm_close(pcm);
    if (busy)
        *busy = err == -EBUSY;
    return err < 0 ? snd_strerror(err) : "";
}

AudioOut::AudioOut(int sample_rate, std::string what) : rate_(sample_rate), what_(std::move(what)) {
    quiet_alsa_errors();
}

AudioOut::~AudioOut() {
    close();
}

bool AudioOut::open() {
    if (pcm_)
        return true;
    if (failed_)
        return false;
    int err = snd_pcm_open(&pcm_, "default", SND_PCM_STREAM_PLAYBACK, 0);
    if (err == 0)
        err = snd_pcm_set_params(pcm_, SND_PCM_FORMAT_S16_LE, SND_PCM_ACCESS_RW_INTERLEAVED, 1,
                                 unsigned(rate_), 1, kLatencyUs);
    if (err < 0) {
        close();
        failed_ = true;
        if (!warned_)
            spdlog::info("no sound device for {} ({}): the kiosk stays silent", what_, snd_strerror(err));
        warned_ = true;
        return false;
    }
    return true;
}

void AudioOut::close() {
    if (pcm_)
        snd_pcm_close(pcm_);
    pcm_ = nullptr;
    failed_ = false; // the next sound tries again: a USB speaker may have been plugged in since
}

void AudioOut::write(std::span<const std::int16_t> samples) {
    if (!open())
        return;
    snd_pcm_sframes_t done = 0;
    while (done < snd_pcm_sframes_t(samples.size())) {
        snd_pcm_sframes_t n = snd_pcm_writei(pcm_, samples.data() + done, samples.size() - std::size_t(done));
        if (n < 0)
            n = snd_pcm_recover(pcm_, int(n), 1);
        if (n < 0)
            return;
        done += n;
    }
}

void AudioOut::finish() {
    if (pcm_)
        snd_pcm_drain(pcm_);
    close();
}

void AudioOut::cut() {
    if (pcm_)
        snd_pcm_drop(pcm_);
    close();
}

} // namespace accueil::kiosk
