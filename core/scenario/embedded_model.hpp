#pragma once
/// \file
/// The shipped DPS model, calibration anchors and references, compiled into the library so that it is available from any folder.

#include <string_view>

namespace pathways {

/// Bytes of `scenarios/models/dps-personalized-learning.json` as they were at build time
/// (defined in a file CMake generates from core/embedded_model.cpp.in).
std::string_view embedded_dps_model();

/// Bytes of `scenarios/anchors.json` as they were at build time (generated from core/embedded_anchors.cpp.in).
std::string_view embedded_anchors();

/// Bytes of `scenarios/references.json` as they were at build time (generated from core/embedded_references.cpp.in).
std::string_view embedded_references();

}  // namespace pathways
