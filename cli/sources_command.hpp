#pragma once
// sources: the studies and documents that the shipped defaults cite, with their full citations.

#include <string>

namespace pathways::cli {

struct sources_options {
    std::string id;               ///< empty: list every reference
    std::string format = "text";  ///< text or json
};
int sources_command(const sources_options& options);

}  // namespace pathways::cli
