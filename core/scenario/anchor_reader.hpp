#pragma once
/// \file
/// Calibration anchors: published effects on an outcome that `pathways calibrate` solves a model's knob
/// to reproduce. The shipped set is `scenarios/anchors.json`, compiled in; users add their own files.

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/diagnostics.hpp"
#include "common/model.hpp"

namespace pathways {

inline constexpr int anchors_file_format = 1;
inline constexpr std::string_view embedded_anchors_file = "<embedded:anchors>";

/// A published effect (a point, with its standard error) or a published bound (no outcome listed may
/// move more than `bound` SD either way) that models are checked and calibrated against.
struct anchor {
    std::string id;
    std::string reference;  ///< full citation
    std::string design;
    /// "quasi-experimental" (the default) or "randomised": a quasi-experiment's standard error is
    /// inflated for its design when anchors are weighed.
    std::string design_type = "quasi-experimental";
    /// "fit": calibration and the synthesis use it, and every model must land near it; "context": shown
    /// beside the models only (a study of another population or programme).
    std::string use = "fit";
    std::string outcome;                ///< outcome node of a point anchor, e.g. academic.achievement.math
    std::vector<std::string> outcomes;  ///< outcome nodes a bound covers
    std::optional<double> bound;        ///< a bound anchor's largest |effect| in SD
    int years = 1;                      ///< years the effect is cumulative over
    double effect = 0.0;                ///< SD
    std::string evidence;               ///< tag of the effect (or bound): S, S2, R or A
    double standard_error = 0.0;
    std::string standard_error_evidence;
    std::string note;
    source_location where;  ///< the anchor's object in its file

    [[nodiscard]] bool is_bound() const { return bound.has_value(); }
    [[nodiscard]] bool is_fitted() const { return use == "fit"; }
};

/// Reads an anchors file; every problem is reported to `out` and nullopt returned when there was any.
std::optional<std::vector<anchor>> read_anchors_file(const std::filesystem::path& path, diagnostics& out);
/// Reads anchors from `text`, reporting problems as coming from `file`.
std::optional<std::vector<anchor>> read_anchors(std::string_view text, const std::string& file, diagnostics& out);
/// The shipped anchors (scenarios/anchors.json as it was at build time).
std::optional<std::vector<anchor>> read_embedded_anchors(diagnostics& out);

/// The anchor called `id`, or null.
const anchor* find_anchor(const std::vector<anchor>& anchors, std::string_view id);
/// "unknown anchor 'x'; did you mean 'y'? known anchors: a, b, c".
std::string unknown_anchor_message(const std::vector<anchor>& anchors, std::string_view id);

}  // namespace pathways
