#pragma once
// What `accueil-sync join` tells its caller through its exit status. The kiosk runs that program when a
// volunteer shows it an enrolment code (kiosk/logic/join_runner.hpp) and turns each outcome into its own
// sentence in the screen's language; the program's printed line goes to the kiosk's log only.
namespace accueil::sync {

enum class JoinExit : int {
    Joined = 0,             // enrolled, and the first exchange with the server completed
    JoinedNotSynced = 1,    // enrolled; the first exchange did not complete (the agent will retry)
    BadInput = 2,           // any other refusal of the input (the command lines' usual code)
    StoreProblem = 3,       // the database could not be made or written
    NotACode = 20,          // the text is not an accueil enrolment code at all
    DamagedCode = 21,       // it starts like one but is cut or damaged (a bad scan, a partial copy)
    AlreadyJoined = 22,     // this database has joined already; a new join needs --replace
    CodeRefused = 23,       // the server does not know the code, or it was used or has expired
    ServerUnreachable = 24, // nothing answered at the address in the code
    WrongCertificate = 25,  // something answered there, but not with the certificate in the code
};

} // namespace accueil::sync
