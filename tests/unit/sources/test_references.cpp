// The references file reader, full citations, the evidence-tag meanings, and `pathways sources`.
#include <catch2/catch.hpp>

#include <fstream>
#include <string>

#include "../cli/cli_support.hpp"
#include "common/evidence.hpp"
#include "scenario/references_reader.hpp"

using namespace pathways;
using pathways::test::run_cli;

namespace {

std::string messages(const diagnostics& found) {
    std::string text;
    for (const diagnostic& d : found.items()) text += format_diagnostic(d) + "\n";
    return text;
}

constexpr const char* two_references = R"({
  "pathways_references": 1,
  "references": [
    {"id": "kraft2020", "short": "Kraft 2020, Interpreting Effect Sizes", "authors": "Kraft, M. A.", "year": "2020",
     "title": "Interpreting effect sizes of education interventions", "journal": "Educational Researcher",
     "volume": "49", "issue": "4", "pages": "241–253"},
    {"id": "pane2017", "short": "Pane et al. 2017, Informing Progress", "authors": "Pane, J. F., & Pane, J. D.",
     "year": "2017", "title": "Informing progress", "publisher": "Santa Monica, CA: RAND Corporation",
     "report_number": "RR-2042", "url": "https://www.rand.org/pubs/research_reports/RR2042.html",
     "note": "Authors abridged for the test."}
  ]
})";

}  // namespace

TEST_CASE("a references file reads into full APA-style citations", "[references]") {
    diagnostics found;
    const auto refs = read_references(two_references, "refs.json", found);
    INFO(messages(found));
    REQUIRE(refs);
    REQUIRE(refs->size() == 2);
    CHECK(full_citation((*refs)[0]) ==
          "Kraft, M. A. (2020). Interpreting effect sizes of education interventions. Educational Researcher, 49(4), "
          "241–253.");
    CHECK(full_citation((*refs)[1]) ==
          "Pane, J. F., & Pane, J. D. (2017). Informing progress (RR-2042). Santa Monica, CA: RAND Corporation. "
          "https://www.rand.org/pubs/research_reports/RR2042.html");
    CHECK((*refs)[1].note == "Authors abridged for the test.");
}

TEST_CASE("a source is linked to the references whose short form it contains", "[references]") {
    diagnostics found;
    const auto refs = read_references(two_references, "refs.json", found);
    REQUIRE(refs);
    const auto both = cited_references(
        "Pane et al. 2017, Informing Progress: 0.09; Kraft 2020, Interpreting Effect "
        "Sizes: 0.25",
        *refs);
    REQUIRE(both.size() == 2);
    CHECK(both[0]->id == "kraft2020");  // in file order
    CHECK(both[1]->id == "pane2017");
    CHECK(cited_references("Pane et al. 2017 without the short title", *refs).empty());
    CHECK(cited_references("an assumption", *refs).empty());
}

TEST_CASE("every problem in a references file is reported in one pass", "[references]") {
    diagnostics found;
    const auto refs = read_references(R"({
  "pathways_references": 2,
  "references": [
    {"id": "Pane2017", "short": "A", "authors": "x", "year": "2017", "title": "t", "publisher": "p"},
    {"id": "dup", "short": "B", "authors": "x", "year": "2017", "title": "t"},
    {"id": "dup", "short": "A", "authors": "", "year": "2017", "title": "t", "journal": "j", "colour": "red"}
  ]
})",
                                      "refs.json", found);
    CHECK_FALSE(refs);
    const std::string text = messages(found);
    INFO(text);
    CHECK(text.find("refs.json:2:26: error: /pathways_references: references file format 2 is not supported; "
                    "expected 1") != std::string::npos);
    CHECK(text.find("/references/0/id: reference id 'Pane2017' is not a name; expected lowercase letters") !=
          std::string::npos);
    CHECK(text.find("/references/1: reference 'dup' names neither a journal nor a publisher") != std::string::npos);
    CHECK(text.find("/references/2/id: reference id 'dup' is used twice; first at /references/1") != std::string::npos);
    CHECK(text.find("/references/2/short: short form 'A' is used twice; first at /references/0") != std::string::npos);
    CHECK(text.find("/references/2/authors: authors is empty; expected text") != std::string::npos);
    CHECK(text.find("colour") != std::string::npos);
    CHECK(found.items().size() == 7);
}

TEST_CASE("an empty or missing reference list is an error", "[references]") {
    diagnostics empty;
    CHECK_FALSE(read_references(R"({"pathways_references": 1, "references": []})", "e.json", empty));
    CHECK(messages(empty).find("references is empty; expected at least one reference") != std::string::npos);
    diagnostics missing;
    CHECK_FALSE(read_references(R"({"pathways_references": 1})", "m.json", missing));
    CHECK(messages(missing).find("references") != std::string::npos);
    diagnostics syntax;
    CHECK_FALSE(read_references("{", "s.json", syntax));
    CHECK(syntax.has_errors());
}

TEST_CASE("the shipped references read without problems and are unique", "[references]") {
    diagnostics found;
    const auto refs = read_embedded_references(found);
    INFO(messages(found));
    REQUIRE(refs);
    CHECK(refs->size() >= 20);
    const reference* pane = find_reference(*refs, "pane2017");
    REQUIRE(pane != nullptr);
    CHECK(pane->short_form == "Pane et al. 2017, Informing Progress");
    CHECK(find_reference(*refs, "pane2071") == nullptr);
    CHECK(unknown_reference_message(*refs, "pane2071") ==
          "unknown reference 'pane2071'; did you mean 'pane2017'? (run `pathways sources` for the list)");
}

TEST_CASE("the four evidence tags have one meaning each, in words", "[references][evidence]") {
    CHECK(is_evidence_tag("S"));
    CHECK(is_evidence_tag("S2"));
    CHECK(is_evidence_tag("R"));
    CHECK(is_evidence_tag("A"));
    CHECK_FALSE(is_evidence_tag("s"));
    CHECK_FALSE(is_evidence_tag("[A]"));
    CHECK(evidence_with_meaning("A") == "A (assumption: a modelling default, not a research finding)");
    CHECK(evidence_with_meaning("S2") ==
          "S2 (sourced second-hand: the number is quoted from the study by another document)");
    CHECK(evidence_with_meaning("X") == "X");
    CHECK(evidence_meaning("X").empty());
    CHECK(evidence_legend() ==
          "Evidence tags: S = sourced: the number appears in the cited study; S2 = sourced second-hand: the number is "
          "quoted from the study by another document; R = recalled from the literature, not re-verified against the "
          "study; A = assumption: a modelling default, not a research finding.");
    CHECK(expected_evidence_tags() ==
          "expected S (sourced), S2 (sourced second-hand), R (recalled from the literature) or A (assumption)");
}

TEST_CASE("pathways sources lists every reference, prints one, and suggests a near id", "[references][cli]") {
    const auto list = run_cli("sources");
    CHECK(list.exit_code == 0);
    CHECK(list.output.find("pane2017") != std::string::npos);
    CHECK(list.output.find("Pane et al. 2017, Informing Progress") != std::string::npos);
    CHECK(list.output.find("A = assumption: a modelling default, not a research finding") != std::string::npos);

    const auto one = run_cli("sources pane2017");
    CHECK(one.exit_code == 0);
    CHECK(one.output ==
          "Pane et al. 2017, Informing Progress\n  Pane, J. F., Steiner, E. D., Baird, M. D., Hamilton, L. S., & Pane, "
          "J. D. (2017). Informing progress: Insights on personalized learning implementation and effects (RR-2042). "
          "Santa Monica, CA: RAND Corporation. https://www.rand.org/pubs/research_reports/RR2042.html\n");

    const auto unknown = run_cli("sources pane2071");
    CHECK(unknown.exit_code == 2);
    CHECK(unknown.output ==
          "pathways: error: unknown reference 'pane2071'; did you mean 'pane2017'? (run `pathways sources` for the "
          "list)\n");

    const auto json = run_cli("sources kraft2020 --format json");
    CHECK(json.exit_code == 0);
    CHECK(json.output.find("\"id\": \"kraft2020\"") != std::string::npos);
    CHECK(json.output.find("\"citation\": \"Kraft, M. A. (2020). Interpreting effect sizes of education interventions. "
                           "Educational Researcher, 49(4), 241–253.\"") != std::string::npos);
    CHECK(run_cli("sources --format yaml").exit_code == 2);
}

TEST_CASE("pathways validate checks a references file", "[references][cli]") {
    CHECK(run_cli("validate scenarios/references.json").output == "1 file valid\n");
    const pathways::test::scratch_folder folder("validate-references");
    const auto bad = folder.path() / "refs.json";
    std::ofstream(bad)
        << R"({"pathways_references": 1, "references": [{"id": "x1", "short": "X 2020, T", "authors": "X",
 "year": "2020", "title": "T"}]})";
    const auto result = run_cli("validate '" + bad.string() + "'");
    CHECK(result.exit_code == 2);
    CHECK(result.output == bad.string() +
                               ":1:43: error: /references/0: reference 'x1' names neither a journal nor a "
                               "publisher; expected one of them\n");
}

TEST_CASE("pathways sources works from any folder", "[references][cli]") {
    const pathways::test::scratch_folder elsewhere("sources-elsewhere");
    const auto list = run_cli("sources --format json", elsewhere.path());
    CHECK(list.exit_code == 0);
    CHECK(list.output.find("\"id\": \"dps2017impact\"") != std::string::npos);
}
