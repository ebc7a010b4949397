#pragma once
/// \file
/// The explorer's page, stylesheet and script, compiled in (core/serve/assets/), so that
/// `pathways serve` needs no files at run time and loads nothing from elsewhere.

#include <string_view>
#include <vector>

namespace pathways {

struct explorer_asset {
    std::string_view path;  ///< where it is served: "/", "/explorer.css", "/explorer.js"
    std::string_view content_type;
    std::string_view bytes;
};

const std::vector<explorer_asset>& explorer_assets();

}  // namespace pathways
