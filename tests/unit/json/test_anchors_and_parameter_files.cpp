// Calibration anchors and parameter files: the shipped anchors read cleanly, every mistake is reported
// at its line and column in one pass, and a parameter file reads back what was written.
#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "common/diagnostics.hpp"
#include "scenario/anchor_reader.hpp"
#include "scenario/parameter_file.hpp"

using namespace pathways;

namespace {

std::vector<std::string> messages(const diagnostics& found) {
    std::vector<std::string> text;
    for (const auto& d : found.items()) text.push_back(format_diagnostic(d));
    return text;
}

std::string one_anchor(const std::string& fields) {
    return "{\"pathways_anchors\": 1, \"anchors\": [{" + fields + "}]}";
}

const std::string valid_fields =
    "\"id\": \"mine\", \"reference\": \"Doe, J. (2020). A study.\", \"design\": \"RCT\", "
    "\"outcome\": \"academic.achievement.math\", \"years\": 1, \"effect\": 0.1, \"evidence\": \"S\", "
    "\"standard_error\": 0.03, \"standard_error_evidence\": \"S\", \"note\": \"\"";

std::filesystem::path write_temp(const std::string& name, const std::string& text) {
    const auto path = std::filesystem::temp_directory_path() / ("pathways-test-" + name);
    std::ofstream(path) << text;
    return path;
}

}  // namespace

TEST_CASE("the shipped anchors hold the RAND and null-study effects with their tags", "[anchors]") {
    diagnostics found;
    const auto anchors = read_embedded_anchors(found);
    REQUIRE(anchors);
    CHECK_FALSE(found.has_errors());
    const anchor* math = find_anchor(*anchors, "rand2017-math");
    REQUIRE(math != nullptr);
    CHECK(math->outcome == "academic.achievement.math");
    CHECK(math->years == 1);
    CHECK(math->effect == 0.09);
    CHECK(math->standard_error == 0.04);
    CHECK(math->standard_error_evidence == "A");
    CHECK(math->reference.find("Pane, J. F., Steiner, E. D., Baird, M. D., Hamilton, L. S., & Pane, J. D. (2017)") ==
          0);
    const anchor* reading = find_anchor(*anchors, "rand2017-reading");
    REQUIRE(reading != nullptr);
    CHECK(reading->outcome == "academic.achievement.ela");
    CHECK(reading->effect == 0.07);
    const anchor* two_year = find_anchor(*anchors, "rand2015-math");
    REQUIRE(two_year != nullptr);
    CHECK(two_year->years == 2);
    CHECK(two_year->effect == 0.27);
    CHECK(two_year->evidence == "R");
    CHECK(find_anchor(*anchors, "rand2015-reading")->effect == 0.19);
    const anchor* null = find_anchor(*anchors, "null-studies-math");
    REQUIRE(null != nullptr);
    CHECK(null->effect == 0.0);
    CHECK(null->standard_error == 0.05);
    CHECK(null->evidence == "A");
    CHECK(null->reference.find("Somers, M.-A., & Garcia, I. (2016)") != std::string::npos);
    CHECK(null->reference.find("Gnagey, J., & Lavertu, S. (2016)") != std::string::npos);
    // The file beside the code is what is compiled in.
    diagnostics again;
    const auto from_file = read_anchors_file(std::string(PATHWAYS_SOURCE_ROOT) + "/scenarios/anchors.json", again);
    REQUIRE(from_file);
    CHECK(from_file->size() == anchors->size());
}

TEST_CASE("an unknown anchor is named with a suggestion and the list", "[anchors]") {
    diagnostics found;
    const auto anchors = read_anchors(one_anchor(valid_fields), "a.json", found);
    REQUIRE(anchors);
    CHECK(find_anchor(*anchors, "mine") != nullptr);
    CHECK(find_anchor(*anchors, "nope") == nullptr);
    CHECK(unknown_anchor_message(*anchors, "mien") ==
          "unknown anchor 'mien'; did you mean 'mine'?; known anchors: mine");
}

TEST_CASE("every mistake in an anchors file is reported in one pass", "[anchors]") {
    diagnostics found;
    const std::string text =
        "{\"pathways_anchors\": 2,\n"
        " \"anchors\": [\n"
        "  {\"id\": \"-bad\", \"reference\": \"\", \"design\": \"x\", \"outcome\": \"o\", \"years\": 0, \"effect\": "
        "9,\n"
        "   \"evidence\": \"B\", \"standard_error\": 0, \"standard_error_evidence\": \"A\", \"note\": \"\", \"extra\": "
        "1},\n"
        "  {\"id\": \"twice\", \"reference\": \"r\", \"design\": \"d\", \"outcome\": \"o\", \"years\": 1, \"effect\": "
        "0,\n"
        "   \"evidence\": \"A\", \"standard_error\": 0.1, \"standard_error_evidence\": \"A\", \"note\": \"\"},\n"
        "  {\"id\": \"twice\", \"reference\": \"r\", \"design\": \"d\", \"outcome\": \"o\", \"years\": 1, \"effect\": "
        "0,\n"
        "   \"evidence\": \"A\", \"standard_error\": 0.1, \"note\": \"\"}\n"
        " ]}";
    CHECK_FALSE(read_anchors(text, "bad.json", found));
    found.sort();
    const std::vector<std::string> expected{
        "bad.json:1:22: error: /pathways_anchors: anchors file format 2 is not supported; expected 1",
        "bad.json:3:10: error: /anchors/0/id: anchor id '-bad' is not a name; expected letters, digits, '_', '-' or "
        "'.', "
        "starting with a letter or digit",
        "bad.json:3:31: error: /anchors/0/reference: reference is empty; expected text",
    };
    const auto got = messages(found);
    for (const std::string& message : expected) CHECK(std::find(got.begin(), got.end(), message) != got.end());
    const auto has = [&](const std::string& part) {
        return std::any_of(got.begin(), got.end(),
                           [&](const std::string& m) { return m.find(part) != std::string::npos; });
    };
    CHECK(has("/anchors/0/years: "));
    CHECK(has("/anchors/0/effect: "));
    CHECK(has("/anchors/0/evidence: unknown evidence tag 'B'; expected S (sourced)"));
    CHECK(has("/anchors/0/standard_error: standard_error is 0; expected a positive number of SD"));
    CHECK(has("unknown key 'extra'"));
    CHECK(has("/anchors/2/id: anchor id 'twice' is used twice; first at /anchors/1"));
    CHECK(has("/anchors/2: missing required key 'standard_error_evidence'"));
    CHECK(found.items().size() == 10);
}

TEST_CASE("an empty anchors list or a missing file is an error", "[anchors]") {
    diagnostics empty;
    CHECK_FALSE(read_anchors("{\"pathways_anchors\": 1, \"anchors\": []}", "e.json", empty));
    CHECK(messages(empty) ==
          std::vector<std::string>{"e.json:1:36: error: /anchors: anchors is empty; expected at least one anchor"});
    diagnostics missing;
    CHECK_FALSE(read_anchors_file("/nonexistent/anchors.json", missing));
    CHECK(missing.has_errors());
}

TEST_CASE("a parameter file reads back what was written, keys sorted, numbers exact", "[parameter-file]") {
    parameter_file file;
    file.model = "linear";
    file.parameters = {{"scale", 0.6560420611720957, {}}, {"z.other", 1.0 / 3.0, {}}};
    file.provenance = {"rand2017-math",
                       "Pane et al. (2017)",
                       "academic.achievement.math",
                       0.09,
                       0.09000000000000001,
                       "scenarios/x.json",
                       "0.1.0"};
    const std::string text = parameter_file_json(file);
    CHECK(text == parameter_file_json(file));  // nothing depends on the date or the machine
    const auto path = write_temp("params.json", text);
    diagnostics found;
    const auto read = read_parameter_file(path, found);
    REQUIRE(read);
    CHECK(read->model == "linear");
    REQUIRE(read->parameters.size() == 2);
    CHECK(read->parameters[0].name == "scale");
    CHECK(read->parameters[0].value == 0.6560420611720957);
    CHECK(read->parameters[0].where.line == 4);
    CHECK(read->parameters[0].where.pointer == "/parameters/scale");
    CHECK(read->parameters[1].value == 1.0 / 3.0);
    CHECK(read->provenance.anchor == "rand2017-math");
    CHECK(read->provenance.achieved_effect == 0.09000000000000001);
    std::filesystem::remove(path);
}

TEST_CASE("a malformed parameter file is reported in one pass", "[parameter-file]") {
    const auto path = write_temp("bad-params.json",
                                 "{\"pathways_parameters\": 3, \"model\": 7,\n \"parameters\": {\"scale\": \"big\"},\n"
                                 " \"provenance\": {\"anchr\": \"x\"}}");
    diagnostics found;
    CHECK_FALSE(read_parameter_file(path, found));
    const auto got = messages(found);
    const auto has = [&](const std::string& part) {
        return std::any_of(got.begin(), got.end(),
                           [&](const std::string& m) { return m.find(part) != std::string::npos; });
    };
    CHECK(has(":1:25: error: /pathways_parameters: parameter file format 3 is not supported; expected 1"));
    CHECK(has("/model: "));
    CHECK(has(":2:26: error: /parameters/scale: "));
    CHECK(has("unknown key 'anchr'; did you mean 'anchor'?"));
    CHECK(found.items().size() == 4);
    std::filesystem::remove(path);

    const auto empty =
        write_temp("empty-params.json", "{\"pathways_parameters\": 1, \"model\": \"linear\", \"parameters\": {}}");
    diagnostics none;
    CHECK_FALSE(read_parameter_file(empty, none));
    CHECK(messages(none).size() == 1);
    CHECK(messages(none)[0].find("no parameters; expected at least one") != std::string::npos);
    std::filesystem::remove(empty);
}
