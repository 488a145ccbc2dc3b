#include "models/change_set.h"

namespace socklens::ui {

namespace {

struct Collector {
    ChangeSet& changes;

    void operator()(const entry::CommandIssued&) {}
    void operator()(const entry::CommandFailed&) {}
    void operator()(const entry::Problem&) {}
    void operator()(const entry::Disagreement&) {}
    void operator()(const entry::DataReceived&) {}
    void operator()(const entry::DataSent&) {}
    void operator()(const entry::ProcessStarted& e) {
        changes.processes.insert(e.process);
        changes.structure = true;
    }
    void operator()(const entry::ProcessAttached& e) {
        changes.processes.insert(e.process);
        changes.structure = true;
    }
    void operator()(const entry::DescriptorObserved& e) {
        changes.descriptors.insert(e.descriptor);
    }
    void operator()(const entry::InheritanceObserved& e) {
        changes.descriptors.insert(e.descriptor);
    }
    void operator()(const entry::ProvenanceObserved& e) {
        changes.descriptors.insert(e.descriptor);
        changes.sockets.insert(e.socket);
    }
    void operator()(const entry::ProcessExited& e) {
        changes.processes.insert(e.process);
        changes.structure = true;
        changes.everySocket = true; // its holdings left every socket's count
    }
    void operator()(const entry::SocketIdentified& e) {
        changes.sockets.insert(e.socket);
        changes.structure = true;
    }
    void operator()(const entry::DescriptorOpened& e) {
        changes.descriptors.insert(e.descriptor);
        changes.sockets.insert(e.socket);
        changes.structure = true;
    }
    void operator()(const entry::DescriptorClosed& e) {
        changes.descriptors.insert(e.descriptor);
        changes.structure = true;
    }
    void operator()(const entry::DuplicationStarted& e) {
        changes.duplications.insert(e.duplication);
        changes.sockets.insert(e.socket);
        changes.descriptors.insert(e.source);
    }
    void operator()(const entry::HandoffStep& e) { changes.duplications.insert(e.duplication); }
    void operator()(const entry::ReferenceInFlight& e) {
        changes.duplications.insert(e.duplication);
        changes.sockets.insert(e.socket);
    }
    void operator()(const entry::DuplicationFinished& e) {
        changes.duplications.insert(e.duplication);
        changes.descriptors.insert(e.result);
    }
    void operator()(const entry::OptionSet& e) { changes.descriptors.insert(e.descriptor); }
    void operator()(const entry::OptionObserved& e) { changes.descriptors.insert(e.descriptor); }
    void operator()(const entry::OptionsObserved& e) { changes.descriptors.insert(e.descriptor); }
    void operator()(const entry::RegistrationMade& e) { changes.sockets.insert(e.socket); }
    void operator()(const entry::OwnerObserved& e) { changes.sockets.insert(e.socket); }
    void operator()(const entry::EventDelivered& e) {
        changes.events = true;
        changes.sockets.insert(e.socket);
    }
    void operator()(const entry::CountObserved& e) { changes.sockets.insert(e.socket); }
    void operator()(const entry::SocketLifetimeObserved& e) { changes.sockets.insert(e.socket); }
    void operator()(const entry::ScenarioStarted&) { changes.steps = true; }
    void operator()(const entry::StepStarted&) { changes.steps = true; }
    void operator()(const entry::StepFinished&) { changes.steps = true; }
    void operator()(const entry::ScenarioFinished&) { changes.steps = true; }
};

} // namespace

void ChangeSet::merge(const ChangeSet& other) {
    processes.insert(other.processes.begin(), other.processes.end());
    sockets.insert(other.sockets.begin(), other.sockets.end());
    descriptors.insert(other.descriptors.begin(), other.descriptors.end());
    duplications.insert(other.duplications.begin(), other.duplications.end());
    structure = structure || other.structure;
    everySocket = everySocket || other.everySocket;
    events = events || other.events;
    steps = steps || other.steps;
}

ChangeSet changesOf(std::span<const JournalEntry> entries) {
    ChangeSet changes;
    for (const JournalEntry& entry : entries)
        std::visit(Collector{changes}, entry.payload);
    return changes;
}

} // namespace socklens::ui
