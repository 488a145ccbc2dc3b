// What every Winsock test shares: a broker whose helpers are socklens-helper.exe under Wine.
// Without Wine or the .exe the tests fail and say what to install; they never skip.
#pragma once

#include "broker/broker.h"

#include <gtest/gtest.h>

namespace socklens::wintest {

inline broker::BrokerOptions winsockOptions() {
    broker::BrokerOptions options;
    options.helperPath = SOCKLENS_HELPER_PATH;
    options.winsockHelperPath = SOCKLENS_WINSOCK_HELPER_PATH;
    options.backend = Platform::WinsockWine;
    return options;
}

class WinsockTest : public ::testing::Test {
protected:
    void SetUp() override {
        if (const auto why = broker::winsockUnavailable(SOCKLENS_WINSOCK_HELPER_PATH))
            FAIL() << "the winsock tests cannot run here: " << *why;
    }

    /// The socket a descriptor names, as the broker's state has it now.
    const SocketState& socketOf(const broker::Broker& broker, const DescriptorRef& ref) const {
        return *broker.state().socket(broker.state().descriptor(ref)->socket);
    }
};

} // namespace socklens::wintest
