#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "common/diagnostics.hpp"
#include "scenario/embedded_model.hpp"
#include "scenario/json_reader.hpp"
#include "scenario/model_reader.hpp"

namespace {

const std::filesystem::path data_dir = std::filesystem::path(PATHWAYS_TEST_DATA) / "data" / "models";

std::vector<std::string> messages(const pathways::diagnostics& found) {
    std::vector<std::string> text;
    for (const auto& d : found.items()) text.push_back(pathways::format_diagnostic(d));
    return text;
}

/// "pointer: message" for each finding, for tests that do not care about positions.
std::vector<std::string> findings(const pathways::diagnostics& found) {
    std::vector<std::string> text;
    for (const auto& d : found.items()) text.push_back(d.pointer + ": " + d.message);
    return text;
}

struct result {
    std::optional<pathways::model_definition> model;
    pathways::diagnostics found;
};

result read_text(const std::string& text) {
    result r;
    const auto doc = pathways::json::parse(text, "m.json", r.found);
    if (doc) r.model = pathways::read_model(*doc, r.found);
    return r;
}

const std::string valid_node = R"({"id": "a.b", "label": "A", "kind": "secondary_driver"})";
const std::string valid_target = R"({"id": "c", "label": "C", "kind": "student_outcome"})";

/// A model with the given node list and edge list (JSON array bodies).
std::string model_with(const std::string& nodes, const std::string& edges) {
    return R"({"pathways_model": 1, "id": "m", "nodes": [)" + nodes + R"(], "edges": [)" + edges + "]}";
}

/// An edge a.b -> c with `extra` members appended (or replacing the defaults when `base` is given).
std::string edge_with(const std::string& members) { return R"({"from": "a.b", "to": "c", )" + members + "}"; }

std::vector<std::string> edge_findings(const std::string& members) {
    const auto r = read_text(model_with(valid_node + ", " + valid_target, edge_with(members)));
    CHECK_FALSE(r.model.has_value());
    return findings(r.found);
}

std::vector<std::string> node_findings(const std::string& node) {
    const auto r = read_text(model_with(node, ""));
    CHECK_FALSE(r.model.has_value());
    return findings(r.found);
}

std::string read_bytes(const std::filesystem::path& path) {
    std::ifstream stream(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(stream), std::istreambuf_iterator<char>()};
}

}  // namespace

TEST_CASE("a valid small model is read completely") {
    pathways::diagnostics found;
    const auto model = pathways::read_model_file(data_dir / "tiny.json", found);
    INFO((found.items().empty() ? std::string() : messages(found).front()));
    REQUIRE(model.has_value());
    CHECK(found.items().empty());
    CHECK(model->id == "tiny");
    CHECK(model->name == "Tiny model");
    CHECK(model->description == "two drivers and an outcome");
    CHECK(model->file == (data_dir / "tiny.json").string());
    REQUIRE(model->nodes.size() == 3);
    const auto& driver = model->nodes[1];
    CHECK(driver.id == "learner_paths.learner_profile_data");
    CHECK(driver.label == "Learner Profile Data");
    CHECK(driver.kind == pathways::node_kind::secondary_driver);
    CHECK(driver.group == "learner_paths");
    CHECK(driver.scale == "level 0-3");
    CHECK(driver.leap == "LE.1");
    CHECK(driver.description == "profiles");
    // Node 1 starts on line 8, after four spaces.
    CHECK(driver.where.file == (data_dir / "tiny.json").string());
    CHECK(driver.where.line == 8);
    CHECK(driver.where.column == 5);
    CHECK(driver.where.pointer == "/nodes/1");
    CHECK(model->nodes[0].kind == pathways::node_kind::primary_driver);
    CHECK(model->nodes[0].scale.empty());

    REQUIRE(model->edges.size() == 2);
    const auto& composition = model->edges[0];
    CHECK(composition.role == pathways::edge_role::composition);
    CHECK(composition.weight == 1.0);
    // Without a prior the weight is fixed; without a range the range is the weight itself.
    CHECK(composition.uncertainty.kind == pathways::prior_kind::fixed);
    CHECK(composition.uncertainty.a == 1.0);
    CHECK(composition.range_low == 1.0);
    CHECK(composition.range_high == 1.0);
    CHECK(composition.where.line == 13);
    CHECK(composition.where.pointer == "/edges/0");
    const auto& effect = model->edges[1];
    CHECK(effect.from == "learner_paths.learner_profile_data");
    CHECK(effect.to == "agency.self_advocacy");
    CHECK(effect.role == pathways::edge_role::effect);  // the default
    CHECK(effect.weight == 0.15);
    CHECK(effect.range_low == 0.05);
    CHECK(effect.range_high == 0.3);
    CHECK(effect.uncertainty.kind == pathways::prior_kind::truncated_normal);
    CHECK(effect.uncertainty.a == 0.15);
    CHECK(effect.uncertainty.b == 0.06);
    CHECK(effect.uncertainty.lower == 0.05);
    CHECK(effect.uncertainty.upper == 0.3);
    CHECK(effect.source == "theory");
    CHECK(effect.evidence == "S2");
    CHECK(effect.where.line == 15);
}

TEST_CASE("every error in a model file is reported in one pass with its position") {
    pathways::diagnostics found;
    CHECK_FALSE(pathways::read_model_file(data_dir / "many_errors.json", found).has_value());
    found.sort();
    const std::string f = (data_dir / "many_errors.json").string();
    // Columns are counted in tests/data/models/many_errors.json: each value's opening quote or first digit.
    CHECK(messages(found) ==
          std::vector<std::string>{
              f + ":5:12: error: /nodes/0/id: invalid node id 'Learner.Paths'; expected dotted snake_case ([a-z0-9_] "
                  "words joined by '.')",
              f + ":5:63: error: /nodes/0/kind: unknown kind 'primary_drivr'; did you mean 'primary_driver'?",
              f + ":6:45: error: /nodes/1/label: expected a string, got a number",
              f + ":6:75: error: /nodes/1/colour: unknown key 'colour'",
              f + ":9:69: error: /edges/0/role: unknown role 'moderater'; did you mean 'moderator'?",
              f + ":10:16: error: /edges/0/weight: weight 0.5 is outside its range [0.05, 0.3]; expected low <= "
                  "weight <= high",
              f + ":11:54: error: /edges/0/prior/sd: sd 0 is not positive; expected a number greater than 0",
              f + ":12:38: error: /edges/0/evidence: unknown evidence tag 'B'; expected S (sourced), S2 (sourced "
                  "second-hand), R (recalled from the literature) or A (assumption)",
              f + ":14:3: error: /edgse: unknown key 'edgse'; did you mean 'edges'?",
          });
}

TEST_CASE("top-level problems") {
    SECTION("missing keys") {
        const auto r = read_text("{}");
        CHECK_FALSE(r.model);
        CHECK(findings(r.found) == std::vector<std::string>{
                                       ": missing required key 'pathways_model'",
                                       ": missing required key 'id'",
                                       ": missing required key 'nodes'",
                                       ": missing required key 'edges'",
                                   });
    }
    SECTION("unsupported version") {
        const auto r = read_text(R"({"pathways_model": 2, "id": "m", "nodes": [)" + valid_node + R"(], "edges": []})");
        CHECK(findings(r.found) ==
              std::vector<std::string>{"/pathways_model: unsupported model format version 2; expected 1"});
    }
    SECTION("wrong types") {
        const auto r = read_text(R"({"pathways_model": "1", "id": "", "nodes": {}, "edges": [3], "name": 1})");
        CHECK(findings(r.found) == std::vector<std::string>{
                                       "/pathways_model: expected an integer, got a string",
                                       "/id: empty id; expected the model's name in scenario files",
                                       "/name: expected a string, got a number",
                                       "/nodes: expected an array, got an object",
                                       "/edges/0: expected an object, got a number",
                                   });
    }
    SECTION("not an object at all") {
        const auto r = read_text("[1]");
        CHECK_FALSE(r.model);
        CHECK(findings(r.found) == std::vector<std::string>{": expected an object, got an array"});
    }
    SECTION("syntax errors and duplicate keys from the parser") {
        pathways::diagnostics found;
        const auto path = std::filesystem::temp_directory_path() / "pathways_test_model_dup.json";
        {
            std::ofstream file(path, std::ios::binary);
            file << model_with(valid_node, "").insert(1, "\"id\": \"first\", ");
        }
        CHECK_FALSE(pathways::read_model_file(path, found).has_value());
        CHECK(findings(found) == std::vector<std::string>{"/id: duplicate key 'id'; first defined at line 1"});
        std::filesystem::remove(path);
    }
}

TEST_CASE("node problems") {
    CHECK(node_findings(R"({"id": "a", "label": "A"})") ==
          std::vector<std::string>{"/nodes/0: missing required key 'kind'"});
    CHECK(node_findings(R"({"id": "a", "label": "A", "kind": "secondary"})") ==
          std::vector<std::string>{"/nodes/0/kind: unknown kind 'secondary'; expected one of condition, "
                                   "foundational_practice, primary_driver, secondary_driver, student_outcome, "
                                   "academic_outcome, goal"});
    CHECK(node_findings(R"({"id": "a", "label": "A", "kind": "goall"})") ==
          std::vector<std::string>{"/nodes/0/kind: unknown kind 'goall'; did you mean 'goal'?"});
    CHECK(node_findings(R"({"id": "", "label": "A", "kind": "goal"})") ==
          std::vector<std::string>{
              "/nodes/0/id: empty id; expected dotted snake_case such as 'learner_paths.learner_profile_data'"});
    CHECK(node_findings(R"({"id": "a..b", "label": "", "kind": "goal", "group": 3, "lable": "x"})") ==
          std::vector<std::string>{
              "/nodes/0/id: invalid node id 'a..b'; expected dotted snake_case ([a-z0-9_] words joined by '.')",
              "/nodes/0/label: empty label; expected a short name",
              "/nodes/0/group: expected a string, got a number",
              "/nodes/0/lable: unknown key 'lable'; did you mean 'label'?",
          });
    CHECK(node_findings(R"("a.b")") == std::vector<std::string>{"/nodes/0: expected an object, got a string"});
}

TEST_CASE("node ids are dotted snake_case") {
    CHECK(pathways::is_valid_node_id("learner_paths"));
    CHECK(pathways::is_valid_node_id("academic.achievement.math"));
    CHECK(pathways::is_valid_node_id("a1.b_2"));
    CHECK_FALSE(pathways::is_valid_node_id(""));
    CHECK_FALSE(pathways::is_valid_node_id("Learner"));
    CHECK_FALSE(pathways::is_valid_node_id("a."));
    CHECK_FALSE(pathways::is_valid_node_id(".a"));
    CHECK_FALSE(pathways::is_valid_node_id("a..b"));
    CHECK_FALSE(pathways::is_valid_node_id("a-b"));
    CHECK_FALSE(pathways::is_valid_node_id("a b"));
}

TEST_CASE("edge problems") {
    SECTION("missing required fields") {
        CHECK(edge_findings(R"("weight": 0.1)") == std::vector<std::string>{
                                                       "/edges/0: missing required key 'source'",
                                                       "/edges/0: missing required key 'evidence'",
                                                   });
    }
    SECTION("role and evidence tags") {
        CHECK(edge_findings(R"("weight": 0.1, "role": "compositon", "source": "s", "evidence": "S")") ==
              std::vector<std::string>{"/edges/0/role: unknown role 'compositon'; did you mean 'composition'?"});
        CHECK(edge_findings(R"("weight": 0.1, "role": "zzzzzzzzz", "source": "s", "evidence": "S")") ==
              std::vector<std::string>{
                  "/edges/0/role: unknown role 'zzzzzzzzz'; expected one of effect, composition, moderator"});
        CHECK(edge_findings(R"("weight": 0.1, "source": "s", "evidence": "s2")") ==
              std::vector<std::string>{"/edges/0/evidence: unknown evidence tag 's2'; expected S (sourced), S2 "
                                       "(sourced second-hand), R (recalled from the literature) or A (assumption)"});
        CHECK(edge_findings(R"("weight": 0.1, "source": "", "evidence": 2)") ==
              std::vector<std::string>{
                  "/edges/0/source: empty source; expected where the weight comes from",
                  "/edges/0/evidence: expected a string, got a number",
              });
    }
    SECTION("weights") {
        // 1e400 is reported once, by the parser, not again as a missing or wrong weight.
        const auto r =
            read_text(model_with(valid_node, edge_with(R"("weight": 1e400, "source": "s", "evidence": "S")")));
        CHECK_FALSE(r.model);
        CHECK(findings(r.found) ==
              std::vector<std::string>{"/edges/0/weight: number 1e400 is out of range; expected a finite number"});
        CHECK(edge_findings(R"("weight": "0.1", "source": "s", "evidence": "S")") ==
              std::vector<std::string>{"/edges/0/weight: expected a number, got a string"});
        CHECK(edge_findings(R"("weight": null, "source": "s", "evidence": "S")") ==
              std::vector<std::string>{"/edges/0/weight: expected a number, got null"});
    }
    SECTION("ranges") {
        CHECK(edge_findings(R"("weight": 0.1, "range": [0.3, 0.05], "source": "s", "evidence": "S")") ==
              std::vector<std::string>{
                  "/edges/0/range: low 0.3 is greater than high 0.05; expected [low, high] with low <= high"});
        CHECK(edge_findings(R"("weight": -0.1, "range": [0, 0.05], "source": "s", "evidence": "S")") ==
              std::vector<std::string>{"/edges/0/weight: weight -0.1 is outside its range [0, 0.05]; expected low "
                                       "<= weight <= high"});
        CHECK(edge_findings(R"("weight": 0.1, "range": [0, 0.1, 0.2], "source": "s", "evidence": "S")") ==
              std::vector<std::string>{"/edges/0/range: expected [low, high] with 2 numbers, got 3 elements"});
        CHECK(edge_findings(R"("weight": 0.1, "range": ["0", 1], "source": "s", "evidence": "S")") ==
              std::vector<std::string>{"/edges/0/range/0: expected a number, got a string"});
        CHECK(edge_findings(R"("weight": 0.1, "range": 1, "source": "s", "evidence": "S")") ==
              std::vector<std::string>{"/edges/0/range: expected an array, got a number"});
    }
    SECTION("unknown keys") {
        CHECK(edge_findings(R"("weight": 0.1, "source": "s", "evidence": "S", "wieght": 1)") ==
              std::vector<std::string>{"/edges/0/wieght: unknown key 'wieght'; did you mean 'weight'?"});
    }
}

TEST_CASE("edge priors") {
    const auto prior_findings = [](const std::string& prior) {
        return edge_findings(R"("weight": 0.1, "source": "s", "evidence": "S", "prior": )" + prior);
    };
    CHECK(prior_findings(R"({"dist": "norml", "mean": 0.1, "sd": 0.1})") ==
          std::vector<std::string>{"/edges/0/prior/dist: unknown distribution 'norml'; did you mean 'normal'?"});
    CHECK(prior_findings(R"({"dist": "gamma", "shape": 1})") ==
          std::vector<std::string>{
              "/edges/0/prior/dist: unknown distribution 'gamma'; expected one of fixed, normal, truncated_normal, "
              "lognormal, uniform, beta",
              "/edges/0/prior/shape: unknown key 'shape'",
          });
    CHECK(prior_findings(R"({"mean": 0.1})") ==
          std::vector<std::string>{"/edges/0/prior: missing required key 'dist'"});
    CHECK(prior_findings(R"({"dist": "normal", "mean": 0.1})") ==
          std::vector<std::string>{"/edges/0/prior: missing required key 'sd'"});
    CHECK(prior_findings(R"({"dist": "normal", "mean": 0.1, "sd": -0.5, "sdd": 1})") ==
          std::vector<std::string>{
              "/edges/0/prior/sd: sd -0.5 is not positive; expected a number greater than 0",
              "/edges/0/prior/sdd: unknown key 'sdd'; did you mean 'sd'?",
          });
    CHECK(prior_findings(R"({"dist": "lognormal", "mu": 0, "sigma": 0})") ==
          std::vector<std::string>{"/edges/0/prior/sigma: sigma 0 is not positive; expected a number greater than 0"});
    CHECK(prior_findings(R"({"dist": "uniform", "lower": 0.3, "upper": 0.3})") ==
          std::vector<std::string>{
              "/edges/0/prior/upper: upper 0.3 is not greater than lower 0.3; expected lower < upper"});
    CHECK(
        prior_findings(R"({"dist": "truncated_normal", "mean": 0.1, "sd": 0.1, "lower": 1, "upper": 0})") ==
        std::vector<std::string>{"/edges/0/prior/upper: upper 0 is not greater than lower 1; expected lower < upper"});
    CHECK(prior_findings(R"({"dist": "beta", "beta": 2, "lower": 0, "upper": 1})") ==
          std::vector<std::string>{"/edges/0/prior: missing required key 'alpha'"});
    CHECK(prior_findings(R"({"dist": "fixed"})") ==
          std::vector<std::string>{"/edges/0/prior: missing required key 'value'"});
    CHECK(prior_findings(R"([0.1])") == std::vector<std::string>{"/edges/0/prior: expected an object, got an array"});
}

TEST_CASE("embedded model") {
    const auto shipped =
        std::filesystem::path(PATHWAYS_SOURCE_ROOT) / "scenarios" / "models" / "dps-personalized-learning.json";
    SECTION("the embedded copy is the shipped file byte for byte") {
        CHECK(pathways::embedded_dps_model() == read_bytes(shipped));
    }
    SECTION("it reads without errors and names itself in diagnostics") {
        pathways::diagnostics found;
        const auto model = pathways::read_embedded_model(found);
        INFO((found.items().empty() ? std::string() : messages(found).front()));
        REQUIRE(model.has_value());
        CHECK(found.items().empty());
        CHECK(model->id == "dps-personalized-learning");
        CHECK(model->file == "<embedded:dps-personalized-learning>");
    }
}

TEST_CASE("edges acting in some grade bands only") {
    SECTION("named bands become a bit mask; absent means every band") {
        const auto r = read_text(model_with(
            valid_node + ", " + valid_target,
            edge_with(R"("weight": 0.1, "grade_bands": ["high", "middle"], "source": "s", "evidence": "S")") + ", " +
                edge_with(R"("role": "moderator", "weight": 0.2, "source": "s", "evidence": "S")")));
        REQUIRE(r.model);
        CHECK(r.model->edges[0].grade_bands == 0b110);
        CHECK(r.model->edges[1].grade_bands == pathways::all_grade_bands);
    }
    SECTION("unknown, empty and misplaced band lists are errors") {
        CHECK(edge_findings(R"("weight": 0.1, "grade_bands": ["midle"], "source": "s", "evidence": "S")") ==
              std::vector<std::string>{"/edges/0/grade_bands/0: unknown grade band 'midle'; did you mean 'middle'?"});
        CHECK(edge_findings(R"("weight": 0.1, "grade_bands": [], "source": "s", "evidence": "S")") ==
              std::vector<std::string>{
                  "/edges/0/grade_bands: empty list; expected one or more of elementary, middle, high"});
        CHECK(edge_findings(
                  R"("weight": 0.1, "role": "moderator", "grade_bands": ["high"], "source": "s", "evidence": "S")") ==
              std::vector<std::string>{
                  "/edges/0/grade_bands: grade bands on a moderator edge; expected them on effect edges only"});
    }
}

TEST_CASE("named node blocks and descriptive nodes") {
    const auto r =
        read_text(R"({"pathways_model": 1, "id": "m", "groups": [{"id": "agency", "label": "Student Agency"}],
        "nodes": [{"id": "t", "label": "T", "kind": "condition", "descriptive": true}], "edges": []})");
    REQUIRE(r.model);
    REQUIRE(r.model->groups.size() == 1);
    CHECK(r.model->groups[0].label == "Student Agency");
    CHECK(r.model->nodes[0].descriptive);
    const auto bad = read_text(R"({"pathways_model": 1, "id": "m", "groups": [{"id": "agency"}], "nodes": [)" +
                               valid_node + R"(], "edges": []})");
    CHECK(findings(bad.found) == std::vector<std::string>{"/groups/0: missing required key 'label'"});
}

TEST_CASE("derived subgroup-gap nodes") {
    const std::string gap_goal = R"({"id": "g", "label": "G", "kind": "goal", "derived": "subgroup_gap"})";
    const std::string edge = R"({"from": "c", "to": "g", "weight": 1, "source": "definition", "evidence": "A"})";
    SECTION("read from the node's attribute") {
        const auto r = read_text(model_with(valid_target + ", " + gap_goal, edge));
        REQUIRE(r.model.has_value());
        CHECK(r.model->nodes[1].derived == pathways::derived_metric::subgroup_gap);
        CHECK(r.model->nodes[0].derived == pathways::derived_metric::none);
    }
    SECTION("an unknown derived metric") {
        const auto r = read_text(model_with(R"({"id": "g", "label": "G", "kind": "goal", "derived": "gap"})", ""));
        CHECK(findings(r.found) ==
              std::vector<std::string>{"/nodes/0/derived: unknown derived metric 'gap'; expected subgroup_gap"});
    }
    SECTION("no incoming edges") {
        const auto r = read_text(model_with(gap_goal, ""));
        CHECK_FALSE(r.model.has_value());
        CHECK(findings(r.found) ==
              std::vector<std::string>{
                  "/nodes/0/derived: subgroup_gap node 'g' has no incoming edges; expected effect edges "
                  "from the outcomes whose subgroup gaps it averages"});
    }
    SECTION("an edge from a driver") {
        const std::string driver_edge =
            R"({"from": "a.b", "to": "g", "weight": 1, "source": "definition", "evidence": "A"})";
        const auto r = read_text(model_with(valid_node + ", " + gap_goal, driver_edge));
        CHECK_FALSE(r.model.has_value());
        REQUIRE(r.found.items().size() == 1);
        CHECK(r.found.items()[0].pointer == "/edges/0");
        CHECK(r.found.items()[0].message.find("expected an effect edge from a student or academic outcome") !=
              std::string::npos);
    }
    SECTION("the shipped goal is derived") {
        pathways::diagnostics found;
        const auto model = pathways::read_embedded_model(found);
        REQUIRE(model.has_value());
        bool derived = false;
        for (const auto& node : model->nodes)
            derived = derived ||
                      (node.id == "goal.opportunity_gaps" && node.derived == pathways::derived_metric::subgroup_gap);
        CHECK(derived);
    }
}

TEST_CASE("node roles and subjects") {
    const auto r = read_text(model_with(
        R"({"id": "m", "label": "M", "kind": "academic_outcome", "roles": ["achievement", "headline"], "subject": "math"})",
        ""));
    REQUIRE(r.model);
    CHECK(r.model->nodes[0].has_role("achievement"));
    CHECK(r.model->nodes[0].has_role("headline"));
    CHECK_FALSE(r.model->nodes[0].has_role("alignment"));
    CHECK(r.model->nodes[0].subject == "math");
    CHECK(node_findings(R"({"id": "c", "label": "C", "kind": "condition", "roles": ["alignmnet"]})") ==
          std::vector<std::string>{"/nodes/0/roles/0: unknown role 'alignmnet'; did you mean 'alignment'?"});
    CHECK(node_findings(R"({"id": "c", "label": "C", "kind": "condition", "roles": ["community", "community"]})") ==
          std::vector<std::string>{"/nodes/0/roles/1: role 'community' given twice; expected each role once"});
    CHECK(node_findings(R"({"id": "o", "label": "O", "kind": "student_outcome", "subject": "math"})") ==
          std::vector<std::string>{
              "/nodes/0/subject: a subject on a node without the role 'achievement'; expected it on test scores only"});
}

TEST_CASE("a model without nodes is rejected") {
    const auto r = read_text(R"({"pathways_model": 1, "id": "m", "nodes": [], "edges": []})");
    CHECK_FALSE(r.model.has_value());
    CHECK(messages(r.found) ==
          std::vector<std::string>{
              "m.json:1:43: error: /nodes: the model has no nodes; expected at least a practice and an outcome"});
}

TEST_CASE(
    "a duplicate edge (same ends, role and grade band) is rejected at the second one, another role or band is not") {
    const std::string nodes = valid_node + ", " + valid_target;
    const std::string edge = edge_with(R"("weight": 0.1, "range": [0, 0.2], "source": "s", "evidence": "A")");
    const auto twice = read_text(model_with(nodes, edge + ",\n" + edge));
    CHECK_FALSE(twice.model.has_value());
    REQUIRE(twice.found.items().size() == 1);
    CHECK(twice.found.items()[0].message ==
          "duplicate edge 'a.b' -> 'c' with role 'effect'; first defined at line 1; expected each edge once in a grade "
          "band");
    CHECK(twice.found.items()[0].line == 2);
    CHECK(twice.found.items()[0].pointer == "/edges/1");

    const std::string moderator =
        edge_with(R"("role": "moderator", "weight": 0.1, "range": [0, 0.2], "source": "s", "evidence": "A")");
    const auto roles = read_text(model_with(nodes, edge + ",\n" + moderator));
    CHECK(findings(roles.found).empty());

    const std::string high = edge_with(R"("weight": 0.1, "grade_bands": ["high"], "source": "s", "evidence": "A")");
    const std::string younger =
        edge_with(R"("weight": 0.2, "grade_bands": ["elementary", "middle"], "source": "s", "evidence": "A")");
    CHECK(findings(read_text(model_with(nodes, high + ",\n" + younger)).found).empty());
}
