// Broker::guarded, shared by the .cpp files of the Broker: whatever escapes a public entry
// point other than a BrokerError is a Problem entry and an "internal" BrokerError, never an
// exception the caller does not expect.
#pragma once

#include "broker/broker.h"

#include <typeinfo>

namespace socklens::broker {

template <class Work>
auto Broker::guarded(const char* entryPoint, Work&& work) -> decltype(work()) {
    try {
        return work();
    } catch (const BrokerError&) {
        throw;
    } catch (const std::exception& error) {
        const std::string sentence = std::string("the broker could not finish ") + entryPoint +
                                     ": " + error.what() + " (" + typeid(error).name() + ")";
        session_.record(entry::Problem{sentence});
        throw BrokerError(sentence, "internal");
    }
}

} // namespace socklens::broker
