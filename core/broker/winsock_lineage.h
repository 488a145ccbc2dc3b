// The identity of Winsock sockets (model/socket_identity.h): the broker gives each socket a
// Winsock helper creates an identity, and every descriptor duplicated from it inherits that
// identity. Winsock helpers report identity 0; the broker fills it in.
#pragma once

#include "model/ids.h"
#include "model/socket_identity.h"

#include <cstdint>
#include <map>
#include <optional>

namespace socklens::broker {

class WinsockLineage {
public:
    /// A fresh identity: #1, #2, ... with the lineage bit set.
    std::uint64_t mint() { return kLineageIdentityBit | next_++; }

    /// The descriptor names the socket `identity`, and was made with `wsaFlags` (C9).
    void bind(const DescriptorRef& descriptor, std::uint64_t identity, std::uint32_t wsaFlags) {
        descriptors_[descriptor] = {identity, wsaFlags};
    }
    std::optional<std::uint64_t> identityOf(const DescriptorRef& descriptor) const {
        const auto found = descriptors_.find(descriptor);
        return found == descriptors_.end() ? std::nullopt : std::optional(found->second.identity);
    }
    std::uint32_t flagsOf(const DescriptorRef& descriptor) const {
        const auto found = descriptors_.find(descriptor);
        return found == descriptors_.end() ? 0 : found->second.wsaFlags;
    }

private:
    struct Entry {
        std::uint64_t identity;
        std::uint32_t wsaFlags;
    };
    std::map<DescriptorRef, Entry> descriptors_;
    std::uint64_t next_ = 1;
};

} // namespace socklens::broker
