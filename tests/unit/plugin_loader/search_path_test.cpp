#include <cstdlib>
#include <filesystem>
#include <vector>

#include <catch2/catch.hpp>

#include "plugin/search_path.hpp"

using namespace pathways;
namespace fs = std::filesystem;

TEST_CASE("the search path is --plugin-dir, then PATHWAYS_PLUGIN_PATH, then the install folder") {
    setenv(plugin_path_variable, "/env/one::/env/two/:", 1);
    load_options options;
    options.plugin_dirs = {"/cli/first", "/cli/second"};
    const search_path path = search_path::from_options(options);
    unsetenv(plugin_path_variable);
    REQUIRE(path.folders().size() == 5);
    CHECK(path.folders()[0] == fs::path("/cli/first"));
    CHECK(path.folders()[1] == fs::path("/cli/second"));
    CHECK(path.folders()[2] == fs::path("/env/one"));
    CHECK(path.folders()[3] == fs::path("/env/two"));  // trailing separator dropped
    CHECK(path.folders()[4] == executable_plugin_folder());
    CHECK(path.describe() == "/cli/first, /cli/second, /env/one, /env/two, " + executable_plugin_folder().string());
}

TEST_CASE("the install folder next to the executable is the build tree's plugin folder") {
    // This test binary sits in <build>/bin, like pathways itself, so <bin>/../lib/pathways/plugins is the
    // folder the shipped plugins are built into.
    CHECK(fs::weakly_canonical(executable_plugin_folder()) ==
          fs::weakly_canonical(fs::path(PATHWAYS_PLUGIN_BUILD_DIR)));
}

TEST_CASE("the environment and the install folder can be left out") {
    setenv(plugin_path_variable, "/env/one", 1);
    load_options options;
    options.plugin_dirs = {"/cli/first"};
    options.use_environment = false;
    options.use_executable_dir = false;
    const search_path path = search_path::from_options(options);
    unsetenv(plugin_path_variable);
    CHECK(path.folders() == std::vector<fs::path>{"/cli/first"});
}

TEST_CASE("repeated folders are searched once, at their first position") {
    const search_path path({"/a", "/b/", "/a/./", "/c/../b", "/d"});
    CHECK(path.folders() == std::vector<fs::path>{"/a", "/b", "/d"});
}

TEST_CASE("relative folders resolve against the current folder") {
    const search_path path({"plugins"});
    REQUIRE(path.folders().size() == 1);
    CHECK(path.folders()[0] == (fs::current_path() / "plugins").lexically_normal());
}

TEST_CASE("an empty search path describes itself") { CHECK(search_path({}).describe() == "no folders"); }

TEST_CASE("a path list splits at colons and drops empty entries") {
    CHECK(split_path_list("") == std::vector<fs::path>{});
    CHECK(split_path_list(":::") == std::vector<fs::path>{});
    CHECK(split_path_list("/a") == std::vector<fs::path>{"/a"});
    CHECK(split_path_list("/a::/b:") == std::vector<fs::path>{"/a", "/b"});
    CHECK(split_path_list(":rel/x:/y") == std::vector<fs::path>{"rel/x", "/y"});
}
