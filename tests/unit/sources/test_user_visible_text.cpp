// Users never see the internal brief: no "DOMAIN.md", "seed 00x", section sign or bracketed evidence tag in
// anything pathways prints or writes, or in the files it ships. Sources cite studies, and every study a
// sourced number cites has its full citation in scenarios/references.json.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "../cli/cli_support.hpp"
#include "scenario/references_reader.hpp"

using namespace pathways;
using pathways::test::run_cli;
namespace fs = std::filesystem;

namespace {

const std::vector<std::string> bundled_plugins{"linear", "saturating", "lagged", "subgroup", "evidence"};

/// What users must not read: the internal brief, its seed numbering, section signs (also as a JSON
/// escape), and evidence tags written into text instead of their own field.
const std::vector<std::string> internal_marks{"DOMAIN.md", "DOMAIN ", "seed 00", "§",   "\\u00a7", "\\u00A7", "[S]",
                                              "[S2]",      "[R]",     "[A]",     "[S,", "[A,",     "[S/"};

std::string read_all(const fs::path& file) {
    std::ifstream in(file, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

/// "where: mark" for every internal mark in `text`.
std::vector<std::string> internal_marks_in(const std::string& text, const std::string& where) {
    std::vector<std::string> found;
    for (const std::string& mark : internal_marks) {
        if (text.find(mark) != std::string::npos) found.push_back(where + ": " + mark);
    }
    return found;
}

void check_clean(const std::string& text, const std::string& where) {
    const auto found = internal_marks_in(text, where);
    INFO(where);
    for (const std::string& f : found) INFO(f);
    CHECK(found.empty());
}

std::vector<fs::path> shipped_text_files() {
    const fs::path root = PATHWAYS_SOURCE_ROOT;
    std::vector<fs::path> files{root / "README.md"};
    for (const auto& entry : fs::recursive_directory_iterator(root / "scenarios")) {
        const std::string ext = entry.path().extension().string();
        if (entry.is_regular_file() && (ext == ".json" || ext == ".md" || ext == ".csv")) files.push_back(entry.path());
    }
    for (const auto& entry : fs::directory_iterator(root / "plugins")) {
        if (fs::exists(entry.path() / "README.md")) files.push_back(entry.path() / "README.md");
    }
    return files;
}

/// Every {"source", "evidence"} pair in a shipped JSON file.
void collect_sources(const nlohmann::json& j, std::vector<std::pair<std::string, std::string>>& out) {
    if (j.is_object()) {
        if (j.contains("source") && j["source"].is_string() && j.contains("evidence") && j["evidence"].is_string()) {
            out.emplace_back(j["source"].get<std::string>(), j["evidence"].get<std::string>());
        }
        for (const auto& [key, value] : j.items()) collect_sources(value, out);
    } else if (j.is_array()) {
        for (const auto& value : j) collect_sources(value, out);
    }
}

std::vector<reference> shipped_references() {
    diagnostics found;
    auto refs = read_embedded_references(found);
    REQUIRE(refs);
    return *refs;
}

}  // namespace

TEST_CASE("shipped data files and plugin READMEs cite no internal document", "[sources][user-visible]") {
    for (const fs::path& file : shipped_text_files()) check_clean(read_all(file), file.string());
}

TEST_CASE("describe, graph and sources print no internal citation", "[sources][user-visible]") {
    for (const std::string& plugin : bundled_plugins) {
        const auto described = run_cli("describe " + plugin);
        REQUIRE(described.exit_code == 0);
        check_clean(described.output, "describe " + plugin);
        // The tags are explained in words once per output.
        CHECK(described.output.find("A = assumption: a modelling default, not a research finding") !=
              std::string::npos);
    }
    for (const std::string format : {"json", "dot", "mermaid"}) {
        const auto graph = run_cli("graph --format " + format);
        REQUIRE(graph.exit_code == 0);
        check_clean(graph.output, "graph --format " + format);
    }
    CHECK(run_cli("graph --format json")
              .output.find("\"A\": \"assumption: a modelling default, not a research finding\"") != std::string::npos);
    check_clean(run_cli("sources --format json").output, "sources --format json");
}

TEST_CASE("a run's CSV, JSON, manifest and report cite no internal document", "[sources][user-visible]") {
    const pathways::test::scratch_folder out("user-visible");
    const auto run = run_cli("run scenarios/denver-scale-up.json --all-variants --draws 2 --quiet --report --out '" +
                             out.path().string() + "'");
    INFO(run.output);
    REQUIRE(run.exit_code == 0);
    check_clean(run.output, "run's terminal output");
    std::size_t files = 0;
    for (const auto& entry : fs::recursive_directory_iterator(out.path())) {
        if (!entry.is_regular_file()) continue;
        ++files;
        check_clean(read_all(entry.path()), entry.path().filename().string());
    }
    CHECK(files >= 4);
    const std::string report = read_all(out.path() / "report.html");
    // Sources link to a references section that holds the full citation.
    CHECK(report.find("<h3 id=\"references\">References</h3>") != std::string::npos);
    CHECK(report.find("<a href=\"#ref-pane2017\"") != std::string::npos);
    CHECK(report.find("<li id=\"ref-pane2017\"><details><summary>Pane et al. 2017, Informing Progress</summary>Pane, "
                      "J. F., Steiner, E. D.") != std::string::npos);
    CHECK(report.find("assumption: a modelling default, not a research finding") != std::string::npos);
}

TEST_CASE("every sourced number cites a study in the references file, and every reference is cited",
          "[sources][user-visible]") {
    const std::vector<reference> refs = shipped_references();
    const fs::path root = PATHWAYS_SOURCE_ROOT;
    std::string all_text;
    for (const fs::path& file :
         {root / "scenarios/models/dps-personalized-learning.json", root / "scenarios/models/high-dosage-tutoring.json",
          root / "scenarios/districts/denver-2018.json", root / "scenarios/districts/denver-2018-tutoring.json",
          root / "scenarios/districts/national-baseline.json",
          root / "scenarios/districts/us-public-schools-2019.json"}) {
        const std::string text = read_all(file);
        all_text += text;
        std::vector<std::pair<std::string, std::string>> sources;
        collect_sources(nlohmann::json::parse(text), sources);
        CHECK(sources.size() >= 8);  // the smallest, the tutoring profile, has 8
        for (const auto& [source, evidence] : sources) {
            if (evidence == "A") continue;
            INFO(file.filename().string() << " (" << evidence << "): " << source);
            CHECK_FALSE(cited_references(source, refs).empty());
        }
    }
    for (const std::string& plugin : bundled_plugins) {
        all_text += run_cli("describe " + plugin).output + read_all(root / "plugins" / plugin / "README.md");
    }
    all_text += read_all(root / "scenarios/anchors.json");
    for (const char* scenario :
         {"denver-pilot-2015", "denver-scale-up", "national-baseline", "rand-2017-check", "tutoring-scale-up"}) {
        all_text += read_all(root / "scenarios" / (std::string(scenario) + ".json"));
    }
    for (const reference& r : refs) {
        INFO(r.id << " is never cited as '" << r.short_form << "'");
        CHECK(all_text.find(r.short_form) != std::string::npos);
    }
}
