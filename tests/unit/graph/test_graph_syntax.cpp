// The theory of change written as lavaan and DAGitty and read back: round trips, edits, inferred
// models and every error with its line and column.
#include <catch2/catch.hpp>

#include <algorithm>
#include <string>

#include "scenario/graph_syntax.hpp"
#include "scenario/json_reader.hpp"
#include "scenario/model_reader.hpp"
#include "scenario/model_writer.hpp"

namespace {

using namespace pathways;

model_definition dps_model() {
    diagnostics found;
    auto model = read_embedded_model(found);
    REQUIRE(model);
    return *model;
}

std::string replaced(std::string text, const std::string& from, const std::string& to) {
    const auto at = text.find(from);
    REQUIRE(at != std::string::npos);
    return text.replace(at, from.size(), to);
}

std::size_t line_of(const std::string& text, const std::string& fragment) {
    const auto at = text.find(fragment);
    REQUIRE(at != std::string::npos);
    return static_cast<std::size_t>(std::count(text.begin(), text.begin() + static_cast<std::ptrdiff_t>(at), '\n')) + 1;
}

bool has(const diagnostics& found, severity level, std::size_t line, std::size_t column, const std::string& fragment) {
    return std::any_of(found.items().begin(), found.items().end(), [&](const diagnostic& d) {
        return d.level == level && (line == 0 || d.line == line) && (column == 0 || d.column == column) &&
               d.message.find(fragment) != std::string::npos;
    });
}

std::string all_of(const diagnostics& found) {
    std::string text;
    for (const diagnostic& d : found.items()) text += format_diagnostic(d) + "\n";
    return text;
}

const model_edge* find_edge(const model_definition& model, const std::string& from, const std::string& to) {
    for (const model_edge& edge : model.edges) {
        if (edge.from == from && edge.to == to) return &edge;
    }
    return nullptr;
}

const model_node* find_node(const model_definition& model, const std::string& id) {
    for (const model_node& node : model.nodes) {
        if (node.id == id) return &node;
    }
    return nullptr;
}

}  // namespace

TEST_CASE("model writer: the DPS model written and read back is the same model", "[graph][syntax]") {
    const model_definition model = dps_model();
    const std::string text = model_file_text(model);
    diagnostics found;
    const auto doc = json::parse(text, "written.json", found);
    REQUIRE(doc);
    const auto again = read_model(*doc, found);
    INFO(all_of(found));
    REQUIRE(again);
    CHECK(again->nodes.size() == model.nodes.size());
    CHECK(again->edges.size() == model.edges.size());
    CHECK(model_file_text(*again) == text);
}

TEST_CASE("lavaan: the DPS model exported and read back is the same model, and exports the same text",
          "[graph][syntax]") {
    const model_definition model = dps_model();
    const std::string lavaan = to_lavaan(model);
    diagnostics found;
    const auto again = read_lavaan(lavaan, "dps.lav", found);
    INFO(all_of(found));
    REQUIRE(again);
    CHECK(found.items().empty());
    CHECK(model_file_text(*again) == model_file_text(model));
    CHECK(to_lavaan(*again) == lavaan);
}

TEST_CASE("lavaan: one regression per node with every coefficient fixed to its edge's weight", "[graph][syntax]") {
    const std::string lavaan = to_lavaan(dps_model());
    // Hand-checked against the model file: the composition edges of Learner Paths, half each.
    CHECK(lavaan.find("\nlearner_paths ~ 0.5*learner_paths.learner_profile_data + "
                      "0.5*learner_paths.goal_setting_progress_monitoring\n") != std::string::npos);
    CHECK(lavaan.find("\nagency.ownership ~ 0.025*learner_paths.learner_profile_data + ") != std::string::npos);
    // Moderator edges have no lavaan form: no regression names a condition.
    CHECK(lavaan.find("*district.accountability_flexibility") == std::string::npos);
    CHECK(lavaan.find("#@ ") != std::string::npos);
}

TEST_CASE("lavaan: an edited coefficient changes the weight, a removed term removes the edge, a new term adds one",
          "[graph][syntax]") {
    std::string lavaan = to_lavaan(dps_model());
    lavaan = replaced(lavaan, "\nagency.ownership ~ 0.025*learner_paths.learner_profile_data + ",
                      "\nagency.ownership ~ 0.04*learner_paths.learner_profile_data + ");
    lavaan = replaced(lavaan, "\nagency.self_advocacy ~ 0.025*learner_paths.learner_profile_data + ",
                      "\nagency.self_advocacy ~ ");
    lavaan += "agency.self_direction ~ 0.05*foundational.culture\n";
    diagnostics found;
    const auto model = read_lavaan(lavaan, "edited.lav", found);
    INFO(all_of(found));
    REQUIRE(model);
    const model_edge* edited = find_edge(*model, "learner_paths.learner_profile_data", "agency.ownership");
    REQUIRE(edited);
    CHECK(edited->weight == 0.04);
    // The prior keeps its kind, spread and bounds and moves to the edited weight.
    CHECK(edited->uncertainty.kind == prior_kind::truncated_normal);
    CHECK(edited->uncertainty.a == 0.04);
    CHECK(find_edge(*model, "learner_paths.learner_profile_data", "agency.self_advocacy") == nullptr);
    CHECK(
        has(found, severity::note, 0, 0,
            "'learner_paths.learner_profile_data' -> 'agency.self_advocacy' is in the #@ lines but in no regression"));
    const model_edge* added = find_edge(*model, "foundational.culture", "agency.self_direction");
    REQUIRE(added);
    CHECK(added->weight == 0.05);
    CHECK(added->evidence == "A");
    CHECK(added->source == "edited.lav, line " + std::to_string(line_of(lavaan, "agency.self_direction ~ 0.05*")));
}

TEST_CASE("lavaan: the opportunity gap is computed from subgroup means, so it is a comment, not a regression",
          "[graph][syntax]") {
    const model_definition model = dps_model();
    const std::string lavaan = to_lavaan(model);
    CHECK(lavaan.find("\ngoal.opportunity_gaps ~") == std::string::npos);
    CHECK(
        lavaan.find("\n# goal.opportunity_gaps is not regressed: it is the subgroup_gap (reference group's mean minus "
                    "the focal group's) of 0.333333") != std::string::npos);
    CHECK(lavaan.find("\ngoal.whole_child ~ ") != std::string::npos);
    // Read back, the gap keeps its links from the #@ lines, silently.
    diagnostics found;
    const auto again = read_lavaan(lavaan, "dps.lav", found);
    INFO(all_of(found));
    REQUIRE(again);
    CHECK(found.items().empty());
    CHECK(find_edge(*again, "academic.achievement.math", "goal.opportunity_gaps") != nullptr);
}

TEST_CASE("lavaan: a coefficient outside the edge's range is an error at the coefficient's variable",
          "[graph][syntax]") {
    const std::string lavaan =
        replaced(to_lavaan(dps_model()), "\nagency.ownership ~ 0.025*learner_paths.learner_profile_data",
                 "\nagency.ownership ~ 0.9*learner_paths.learner_profile_data");
    diagnostics found;
    CHECK_FALSE(read_lavaan(lavaan, "wide.lav", found));
    // "agency.ownership ~ 0.9*" is 23 characters: the variable starts in column 24.
    CHECK(has(
        found, severity::error, line_of(lavaan, "agency.ownership ~ 0.9*"), 24,
        "weight 0.9 of 'learner_paths.learner_profile_data' -> 'agency.ownership' is outside its range [-0.01, 0.05]"));
}

TEST_CASE("lavaan: an error in the #@ lines is reported at its line and column in the lavaan file", "[graph][syntax]") {
    const std::string lavaan = replaced(to_lavaan(dps_model()), "\"evidence\":\"A\"", "\"evidence\":\"Q\"");
    diagnostics found;
    CHECK_FALSE(read_lavaan(lavaan, "bad.lav", found));
    CHECK(has(found, severity::error, line_of(lavaan, "\"evidence\":\"Q\""), 0, "unknown evidence tag 'Q'"));
}

TEST_CASE("lavaan: a model without #@ lines gets kinds from its graph and edges sourced to their lines",
          "[graph][syntax]") {
    const std::string lavaan =
        "# tutoring, as a researcher wrote it\n"
        "attendance ~ 0.2*tutoring_dosage\n"
        "math_score ~ 0.3*tutoring_dosage +\n"
        "             0.1*attendance   # engagement pays off\n"
        "attendance ~~ math_score\n";
    diagnostics found;
    const auto model = read_lavaan(lavaan, "tutoring.lav", found);
    INFO(all_of(found));
    REQUIRE(model);
    CHECK(model->id == "tutoring");
    REQUIRE(model->nodes.size() == 3);
    CHECK(find_node(*model, "tutoring_dosage")->kind == node_kind::foundational_practice);
    CHECK(find_node(*model, "attendance")->kind == node_kind::student_outcome);
    CHECK(find_node(*model, "math_score")->kind == node_kind::academic_outcome);
    REQUIRE(model->edges.size() == 3);
    CHECK(find_edge(*model, "attendance", "math_score")->weight == 0.1);
    CHECK(find_edge(*model, "attendance", "math_score")->source == "tutoring.lav, line 4");
    CHECK(has(found, severity::note, 5, 12, "'~~' statement skipped"));
    CHECK(has(found, severity::note, 1, 1,
              "node kinds inferred from the graph, 1 without causes as foundational practices"));
}

TEST_CASE("lavaan: what has no pathways form is an error at its line and column", "[graph][syntax]") {
    diagnostics found;
    CHECK_FALSE(read_lavaan("agency =~ a1 + a2\n", "latent.lav", found));
    CHECK(has(found, severity::error, 1, 8, "latent variable definition '=~' has no pathways form"));

    found = {};
    CHECK_FALSE(read_lavaan("y ~ b1*x\n", "free.lav", found));
    CHECK(has(found, severity::error, 1, 8, "free coefficient for 'x' -> 'y'; expected a fixed weight, as in 0.1*x"));

    found = {};
    CHECK_FALSE(read_lavaan("y ~ start(0.1)*x\n", "start.lav", found));
    CHECK(has(found, severity::error, 1, 5, "modifier 'start(...)' has no pathways form"));

    found = {};
    CHECK_FALSE(read_lavaan("Math ~ 0.1*x\n", "upper.lav", found));
    CHECK(has(found, severity::error, 1, 1, "invalid node id 'Math'; expected dotted snake_case"));
}

TEST_CASE("DAGitty: the DPS model exported and read back keeps its edges, weights and marks", "[graph][syntax]") {
    const model_definition model = dps_model();
    const std::string dag = to_dagitty(model);
    CHECK(dag.rfind("dag {\n", 0) == 0);
    CHECK(dag.find("learner_paths.learner_profile_data [exposure,pos=\"2,0\"]") != std::string::npos);
    CHECK(dag.find("learner_paths.learner_profile_data -> agency.ownership [beta=\"0.025\"]") != std::string::npos);
    diagnostics found;
    const auto again = read_dagitty(dag, "dps.dag", found);
    INFO(all_of(found));
    REQUIRE(again);
    CHECK(again->nodes.size() == model.nodes.size());
    std::size_t carried = 0;
    for (const model_edge& edge : model.edges) {
        if (edge.role == edge_role::moderator) continue;
        ++carried;
        const model_edge* read = find_edge(*again, edge.from, edge.to);
        REQUIRE(read);
        CHECK(read->weight == edge.weight);
    }
    CHECK(again->edges.size() == carried);
    for (const model_node& node : model.nodes) {
        const bool set_by_plan =
            node.kind == node_kind::secondary_driver || node.kind == node_kind::foundational_practice;
        if (set_by_plan) CHECK(find_node(*again, node.id)->kind == node_kind::foundational_practice);
        if (node.has_role("headline")) CHECK(find_node(*again, node.id)->has_role("headline"));
    }
}

TEST_CASE("DAGitty: groups, reversed arrows, options and edges without beta", "[graph][syntax]") {
    const std::string dag =
        "dag {\n"
        "bb=\"0,0,1,1\"\n"
        "practice [exposure]\n"
        "practice -> {engagement agency}\n"
        "score <- engagement [beta=\"0.2\"]; score [outcome]\n"
        "}\n";
    diagnostics found;
    const auto model = read_dagitty(dag, "small.dag", found);
    INFO(all_of(found));
    REQUIRE(model);
    REQUIRE(model->edges.size() == 3);
    CHECK(find_edge(*model, "practice", "engagement")->weight == 0.0);
    CHECK(find_edge(*model, "practice", "agency")->weight == 0.0);
    CHECK(find_edge(*model, "engagement", "score")->weight == 0.2);
    CHECK(find_node(*model, "practice")->kind == node_kind::foundational_practice);
    CHECK(find_node(*model, "score")->kind == node_kind::academic_outcome);
    CHECK(find_node(*model, "agency")->kind == node_kind::academic_outcome);  // a sink
    CHECK(has(found, severity::warning, 1, 1, "2 of 3 edges have no beta attribute and weigh 0"));
}

TEST_CASE("DAGitty: what is not a DAG is an error at its line and column", "[graph][syntax]") {
    diagnostics found;
    CHECK_FALSE(read_dagitty("pag { a -> b }", "pag.dag", found));
    CHECK(has(found, severity::error, 1, 1, "pathways reads DAGitty's dag graphs only"));

    found = {};
    CHECK_FALSE(read_dagitty("dag {\n a <-> b\n}", "bidirected.dag", found));
    CHECK(has(found, severity::error, 2, 4, "edge '<->' has no pathways form"));

    found = {};
    CHECK_FALSE(read_dagitty("dag { a -> b [beta=\"x\"] }", "beta.dag", found));
    CHECK(has(found, severity::error, 1, 20, "beta 'x' is not a number"));

    found = {};
    CHECK_FALSE(read_dagitty("dag { a -> b ", "open.dag", found));
    CHECK(has(found, severity::error, 1, 14, "expected '}'"));
}

namespace {

std::string dagitty_group(const std::string& prefix, std::size_t members) {
    std::string group = "{";
    for (std::size_t i = 0; i < members; ++i) group += " " + prefix + std::to_string(i);
    return group + " }";
}

}  // namespace

TEST_CASE("DAGitty: a cross product past the edge limit is refused before it is expanded", "[graph][syntax]") {
    // 400 x 400 = 160,000 edges from a file of about 5 kB: refused at the arrow, before any edge exists.
    const std::string text = "dag {\n" + dagitty_group("a", 400) + " -> " + dagitty_group("b", 400) + "\n}";
    diagnostics found;
    CHECK_FALSE(read_dagitty(text, "cross.dag", found));
    CHECK(has(found, severity::error, 2, text.find("->") - text.find('\n'), "the graph has more than 100000 edges"));
    CHECK(found.items().size() == 1);

    // Under the limit the same form expands: 300 x 300 = 90,000 edges.
    const std::string fits = "dag {\n" + dagitty_group("a", 300) + " -> " + dagitty_group("b", 300) + "\n}";
    found = {};
    const auto model = read_dagitty(fits, "fits.dag", found);
    REQUIRE(model);
    CHECK(model->edges.size() == 90'000);
    CHECK(model->nodes.size() == 600);
}

TEST_CASE("DAGitty: more nodes than a model may have are refused at the first one past the limit", "[graph][syntax]") {
    const std::string text = "dag {\n" + dagitty_group("n", 10'001) + "\n}";
    diagnostics found;
    CHECK_FALSE(read_dagitty(text, "nodes.dag", found));
    CHECK(has(found, severity::error, 2, text.find("n10000") - text.find('\n'), "the graph has more than 10000 nodes"));
}

TEST_CASE("lavaan: an empty file or one of comments only is not a model", "[graph][syntax]") {
    for (const std::string text : {"", "\n\n", "# a comment only\n"}) {
        diagnostics found;
        CHECK_FALSE(read_lavaan(text, "empty.lav", found));
        CHECK(has(found, severity::error, 1, 1, "no regressions and no pathways metadata"));
    }
}
