// Every command's --help ends with examples, found from the command list `pathways --help` prints, so
// a command added without examples fails here; a mistyped command is named with a did-you-mean.
#include <catch2/catch.hpp>

#include <sstream>

#include "cli_support.hpp"

namespace {

using pathways::test::run_cli;

/// The command names under "Subcommands:" in `pathways --help`.
std::vector<std::string> listed_commands() {
    const auto help = run_cli("--help");
    std::vector<std::string> names;
    std::istringstream in(help.output);
    bool listing = false;
    for (std::string line; std::getline(in, line);) {
        if (line.rfind("Subcommands:", 0) == 0) {
            listing = true;
        } else if (listing) {
            if (line.rfind("  ", 0) != 0) break;
            std::istringstream words(line);
            std::string name;
            words >> name;
            names.push_back(name);
        }
    }
    return names;
}

}  // namespace

TEST_CASE("pathways --help and every command's --help end with examples of that command", "[cli][help]") {
    const auto main_help = run_cli("--help");
    CHECK(main_help.exit_code == 0);
    CHECK(main_help.output.find("Examples:\n  pathways ") != std::string::npos);
    const auto commands = listed_commands();
    REQUIRE(commands.size() >= 15);
    for (const std::string& command : commands) {
        DYNAMIC_SECTION("pathways " << command << " --help") {
            const auto help = run_cli(command + " --help");
            CHECK(help.exit_code == 0);
            const auto examples = help.output.find("\nExamples:\n");
            REQUIRE(examples != std::string::npos);
            CHECK(help.output.find("  pathways " + command + " ", examples) != std::string::npos);
        }
    }
}

TEST_CASE("a mistyped command gets a did-you-mean, an unrelated word the way to the list, both exit 2", "[cli][help]") {
    const auto typo = run_cli("comapre a.json b.json");
    CHECK(typo.exit_code == 2);
    CHECK(typo.output == "pathways: error: unknown command 'comapre'; did you mean 'compare'?\n");
    const auto unrelated = run_cli("xyzzy");
    CHECK(unrelated.exit_code == 2);
    CHECK(unrelated.output == "pathways: error: unknown command 'xyzzy'; see pathways --help for the commands\n");
}
