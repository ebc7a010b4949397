#pragma once
/// \file
/// School ratings on the Driver Model: each school's stage on each foundational practice and
/// secondary driver in a year, as someone rated it. A scenario takes its schools' starting levels
/// from such a file (`/implementation/ratings`) and a wave its schools' targets (`goals`, the same
/// shape); `pathways monitor --implementation` compares them with the plan's ramp.
///
/// ```csv
/// # SYNTHETIC: ... (lines starting with # are comments)
/// school,year,driver,stage,rater,classrooms
/// den-e020,2015,learner_paths.learner_profile_data,teacher driven,self,
/// den-e020,2015,Culture,1,coach,6
/// ```
///
/// `driver` is a practice or driver of the model, by id or label (any case). `stage` is a stage name
/// of that node's continuum in the model's rubric (`pathways rubric` lists them; any case, '-' or '_'
/// for spaces) or a number from 0 to 3. `rater` is self, coach or walkthrough (required in ratings;
/// optional in goals, where it says who set the goal). `classrooms`, the number of classrooms
/// observed, is optional; `note` is free text.

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/diagnostics.hpp"
#include "common/model.hpp"

namespace pathways {

/// Who rated: the school itself, its coach, or a walkthrough by district staff.
enum class rater_kind { self, coach, walkthrough };
std::string_view to_string(rater_kind rater);
const std::vector<std::string>& rater_names();

struct school_rating {
    std::string school;
    int year = 0;
    std::string node;  ///< the node's id
    double level = 0.0;
    std::optional<rater_kind> rater;  ///< absent only in goal files
    std::optional<long long> classrooms;
    source_location where;  ///< the row (file, line, column 1)
};

struct ratings_data {
    std::string file;
    std::vector<school_rating> rows;  ///< in file order
};

/// What the rows are checked against.
struct ratings_context {
    const model_definition* model = nullptr;  ///< its rated nodes and rubric; required
    std::vector<std::string> schools;         ///< the district's school ids
    std::string district_file;                ///< for messages
    /// False when there is no district to check against (`pathways validate` on the file alone).
    bool schools_known = true;
    bool rater_required = true;  ///< false for goal files
};

/// Largest ratings file accepted, so a wrong path cannot make the reader swallow a huge file.
inline constexpr std::size_t max_ratings_csv_bytes = 16u * 1024u * 1024u;

/// Reads and checks a ratings (or goals) CSV against `context`. Every problem goes to `out` as
/// `file:line:col: error: column 'x': what is wrong; what is expected`, in one pass: a missing,
/// unknown or repeated column, a wrong field count, a school not in the district (with a
/// did-you-mean), a year that is not a whole year from 1900 to 2200, a driver the model does not
/// rate (with a did-you-mean), a stage that is no stage name and no number from 0 to 3, an unknown
/// rater, a classroom count that is not a whole number of at least 1, a row given twice (same
/// school, year, driver and rater) and a file without rows. nullopt when there was any error.
std::optional<ratings_data> read_ratings_csv(const std::filesystem::path& path, const ratings_context& context,
                                             diagnostics& out);

/// The same on text in memory; `file` names it in messages.
std::optional<ratings_data> read_ratings_text(std::string_view text, const std::string& file,
                                              const ratings_context& context, diagnostics& out);

/// Whether `path` looks like a ratings CSV: its first line that is not a comment names a `school`,
/// a `driver` and a `stage` column.
bool is_ratings_csv(const std::filesystem::path& path);

}  // namespace pathways
