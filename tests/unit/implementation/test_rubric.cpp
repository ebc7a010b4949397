// The Driver Model's rubric as data: every practice and driver has its stage descriptors, stage names
// map to levels as the model file states, and a malformed rubric is refused at file:line:col.
#include <catch2/catch.hpp>

#include "../cli/cli_support.hpp"
#include "implementation_support.hpp"
#include "scenario/json_reader.hpp"
#include "scenario/rubric_reader.hpp"

namespace {

using namespace pathways;
using pathways::test::dps_model;
using pathways::test::has_message;
using pathways::test::messages;

bool is_rated(const model_node& node) {
    return node.kind == node_kind::foundational_practice || node.kind == node_kind::secondary_driver;
}

}  // namespace

TEST_CASE("rubric: every foundational practice and secondary driver of the DPS model has its descriptors", "[rubric]") {
    const model_definition& model = dps_model();
    REQUIRE(model.rubric);
    std::size_t rated = 0;
    for (const model_node& node : model.nodes) {
        if (!is_rated(node)) continue;
        ++rated;
        INFO(node.id);
        const rubric_descriptor* descriptor = model.rubric->descriptor_of(node.id);
        REQUIRE(descriptor != nullptr);
        CHECK(descriptor->stages.size() == 4);  // the Driver Model's four columns
        for (const std::string& text : descriptor->stages) {
            // A descriptor the carried text lacks is empty, and then a note says so.
            if (text.empty() || text.find("[...]") != std::string::npos) CHECK_FALSE(descriptor->note.empty());
        }
    }
    CHECK(rated == 14);  // 4 foundational practices and 10 secondary drivers
    const auto& profile = model.rubric->descriptor_of("learner_paths.learner_profile_data")->stages;
    CHECK(profile[0].starts_with("Teacher has a general understanding of learners' needs"));
    CHECK(profile[3].starts_with("Learner self-evaluates his/her needs"));
    const auto& relationships = model.rubric->descriptor_of("foundational.relationships")->stages;
    CHECK(relationships[3].find("demonstrate social leadership") != std::string::npos);
    CHECK(model.rubric->descriptor_of("foundational.metacognition")->stages[0].empty());
}

TEST_CASE("rubric: stage names map to the tool's 0-3 levels, a mapping stated as an assumption", "[rubric]") {
    const rubric_definition& rubric = *dps_model().rubric;
    const rubric_continuum* drivers = rubric.continuum_of(node_kind::secondary_driver);
    const rubric_continuum* practices = rubric.continuum_of(node_kind::foundational_practice);
    REQUIRE(drivers);
    REQUIRE(practices);
    CHECK(drivers->evidence == "A");
    CHECK(practices->evidence == "A");
    CHECK(drivers->source.find("non-numerical continuum") != std::string::npos);
    CHECK(stage_level(*drivers, "teacher driven") == 0.0);
    CHECK(stage_level(*drivers, "Learner-Centered") == 1.5);  // the named middle, between two columns
    CHECK(stage_level(*drivers, "learner_driven") == 3.0);
    CHECK(stage_level(*drivers, " 2 ") == 2.0);
    CHECK(stage_level(*drivers, "0.5") == 0.5);
    CHECK_FALSE(stage_level(*drivers, "4"));
    CHECK_FALSE(stage_level(*drivers, "-1"));
    CHECK_FALSE(stage_level(*drivers, "beginning"));  // a practice's stage, not a driver's
    CHECK(stage_level(*practices, "Advanced") == 3.0);
    CHECK(drivers->columns().size() == 4);
    CHECK(practices->columns().size() == 4);
}

TEST_CASE("rubric: every problem of a malformed rubric is reported at its place", "[rubric][errors]") {
    const std::string text = R"({
  "pathways_model": 1, "id": "m",
  "nodes": [
    {"id": "p", "label": "P", "kind": "primary_driver"},
    {"id": "p.d", "label": "D", "kind": "secondary_driver", "group": "p"},
    {"id": "o", "label": "O", "kind": "student_outcome"}
  ],
  "edges": [{"from": "p.d", "to": "o", "weight": 0.1, "source": "s", "evidence": "A"}],
  "rubric": {"source": "a document", "evidence": "S",
    "continua": [
      {"kind": "secondary_driver", "stages": [{"name": "Low", "level": 0}, {"name": "high", "level": 3}],
       "source": "assumed", "evidence": "A"},
      {"kind": "secondary_driver", "stages": [{"name": "a", "level": 2}, {"name": "b", "level": 1}],
       "source": "assumed", "evidence": "X"},
      {"kind": "student_outcome", "stages": [{"name": "c", "level": 4}], "source": "s", "evidence": "A"}
    ],
    "descriptors": [
      {"node": "p.d", "stages": ["one"]},
      {"node": "p.d", "stages": ["", "two"]},
      {"node": "nowhere", "stages": ["x", "y"]},
      {"node": "o", "stages": ["x"]}
    ]}
})";
    diagnostics found;
    const auto doc = json::parse(text, "bad-rubric.json", found);
    REQUIRE(doc);
    CHECK_FALSE(read_model(*doc, found));
    const auto all = messages(found);
    CHECK(has_message(all, {"bad-rubric.json:11:", "stage name 'Low' is not in lowercase words; expected 'low'"}));
    CHECK(has_message(all, {"bad-rubric.json:13:", "column stage 'b' is not above the column before it"}));
    CHECK(has_message(all, {"unknown evidence tag 'X'"}));
    CHECK(has_message(all, {"'student_outcome' is not rated"}));
    CHECK(has_message(all, {"/rubric/continua/1/kind", "a second continuum for secondary_driver"}));
    CHECK(has_message(all, {"bad-rubric.json:18:", "1 descriptors; expected 2, one per column"}));
    CHECK(has_message(all, {"bad-rubric.json:19:", "an empty descriptor without a note"}));
    CHECK(has_message(all, {"bad-rubric.json:19:", "'p.d' has descriptors twice"}));
    CHECK(has_message(all, {"bad-rubric.json:20:", "unknown node 'nowhere'"}));
    CHECK(has_message(all, {"bad-rubric.json:21:", "'o' is a student_outcome, which no continuum rates"}));
}

TEST_CASE("pathways rubric prints every practice's and driver's descriptors, or one node's", "[rubric][cli]") {
    const auto all = pathways::test::run_cli("rubric");
    REQUIRE(all.exit_code == 0);
    for (const model_node& node : dps_model().nodes) {
        if (is_rated(node)) CHECK(all.output.find(node.label + " (" + node.id + ")") != std::string::npos);
    }
    CHECK(all.output.find("teacher driven = 0, early learner centered = 1, learner centered = 1.5") !=
          std::string::npos);
    CHECK(all.output.find("(evidence A)") != std::string::npos);
    CHECK(all.output.find("Denver Public Schools 2017, Driver Model") != std::string::npos);
    CHECK(all.output.find("beginning (0): Learners and teachers have no opportunities") != std::string::npos);

    const auto one = pathways::test::run_cli("rubric 'strategic tech'");
    REQUIRE(one.exit_code == 0);
    CHECK(one.output.find("Strategic Tech (strategic_resources.tech)") != std::string::npos);
    CHECK(one.output.find("Strategic Time") == std::string::npos);
    CHECK(one.output.find("learner driven (3): Learners are empowered to make strategic choices") != std::string::npos);

    const auto group = pathways::test::run_cli("rubric learner_paths --format json");
    REQUIRE(group.exit_code == 0);
    CHECK(group.output.find("\"node\": \"learner_paths.goal_setting_progress_monitoring\"") != std::string::npos);
    CHECK(group.output.find("strategic_resources") == std::string::npos);

    const auto wrong = pathways::test::run_cli("rubric foundational.cultur");
    CHECK(wrong.exit_code == 2);
    CHECK(wrong.output.find("did you mean 'foundational.culture'?") != std::string::npos);
}
