#include "model/claim_tags.h"

#include <sstream>

namespace socklens {

ClaimTags::ClaimTags(const std::vector<std::string>& claims) {
    std::string joined;
    for (const std::string& claim : claims)
        joined += (joined.empty() ? "" : " ") + claim;
    joined_ = SharedText(joined);
}

std::vector<std::string> ClaimTags::list() const {
    std::vector<std::string> claims;
    std::istringstream words(joined_.str());
    for (std::string claim; words >> claim;)
        claims.push_back(claim);
    return claims;
}

} // namespace socklens
