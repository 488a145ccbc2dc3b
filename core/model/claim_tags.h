// The claims (C1-C12) a scenario step is tagged with, as a journal entry holds them: one
// shared text ("C5 C6"), 8 bytes, instead of a vector of strings in every step entry.
#pragma once

#include "model/shared_text.h"

#include <initializer_list>
#include <string>
#include <vector>

namespace socklens {

class ClaimTags {
public:
    ClaimTags() = default;
    ClaimTags(const std::vector<std::string>& claims); // NOLINT: built from a step's list
    ClaimTags(std::initializer_list<std::string> claims)
        : ClaimTags(std::vector<std::string>(claims)) {}

    std::vector<std::string> list() const;
    bool empty() const { return joined_.empty(); }

    friend bool operator==(const ClaimTags&, const ClaimTags&) = default;
    friend bool operator==(const ClaimTags& tags, const std::vector<std::string>& claims) {
        return tags.list() == claims;
    }

private:
    SharedText joined_; ///< the ids, separated by single spaces
};

} // namespace socklens
