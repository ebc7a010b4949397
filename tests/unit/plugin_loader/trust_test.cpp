#include <filesystem>
#include <string>

#include <catch2/catch.hpp>

#include "fixture_support.hpp"
#include "plugin/registry.hpp"

using namespace pathways;
using pathways::testing::fixture_file;
using pathways::testing::fixture_folder;
using pathways::testing::only;
using pathways::testing::temp_folder;
namespace fs = std::filesystem;

namespace {

const std::string remedy =
    "; expected a file in a search-path folder that only its owner can write, or allow untrusted plugins "
    "explicitly (--allow-untrusted-plugins)";

}  // namespace

TEST_CASE("a plugin in a world-writable folder is refused unless untrusted plugins are allowed") {
    const temp_folder folder(fs::perms::all);
    REQUIRE((fs::status(folder.path()).permissions() & fs::perms::others_write) != fs::perms::none);
    const fs::path copy = folder.path() / "libpathways_good.so";
    fs::copy_file(fixture_file("good"), copy);

    SECTION("refused") {
        diagnostics problems;
        const plugin_registry registry = plugin_registry::discover(only({folder.path()}), problems);
        REQUIRE(problems.items().size() == 1);
        CHECK(problems.items().front().file == copy.string());
        CHECK(problems.items().front().message == "plugin 'libpathways_good.so': refusing to load: its folder '" +
                                                      folder.path().string() + "' is world-writable" + remedy);
        CHECK(registry.find("fixture_good") == nullptr);
        CHECK(registry.loaded_files().empty());
    }
    SECTION("allowed explicitly, with a warning") {
        load_options options = only({folder.path()});
        options.allow_untrusted = true;
        diagnostics problems;
        const plugin_registry registry = plugin_registry::discover(options, problems);
        CHECK_FALSE(problems.has_errors());
        REQUIRE(problems.items().size() == 1);
        CHECK(problems.items().front().level == severity::warning);
        CHECK(problems.items().front().message ==
              "plugin 'libpathways_good.so': loading although its folder '" + folder.path().string() +
                  "' is world-writable, because untrusted plugins are allowed");
        CHECK(registry.find("fixture_good") != nullptr);
    }
}

TEST_CASE("a world-writable plugin file is refused even in a safe folder") {
    const temp_folder folder;
    const fs::path copy = folder.path() / "libpathways_good.so";
    fs::copy_file(fixture_file("good"), copy);
    fs::permissions(copy, fs::perms::others_write, fs::perm_options::add);
    diagnostics problems;
    const plugin_registry registry = plugin_registry::discover(only({folder.path()}), problems);
    REQUIRE(problems.items().size() == 1);
    CHECK(problems.items().front().message ==
          "plugin 'libpathways_good.so': refusing to load: the file is world-writable" + remedy);
    CHECK(registry.models().empty());
}

TEST_CASE("a symlink that leads outside the search path is refused unless untrusted plugins are allowed") {
    const temp_folder folder;
    const fs::path link = folder.path() / "libpathways_linked.so";
    fs::create_symlink(fixture_file("good"), link);

    SECTION("refused") {
        diagnostics problems;
        const plugin_registry registry = plugin_registry::discover(only({folder.path()}), problems);
        REQUIRE(problems.items().size() == 1);
        CHECK(problems.items().front().file == link.string());
        CHECK(problems.items().front().message == "plugin 'libpathways_linked.so': refusing to load: it resolves to '" +
                                                      fs::canonical(fixture_file("good")).string() +
                                                      "', outside the plugin search path" + remedy);
        CHECK(registry.models().empty());
    }
    SECTION("allowed explicitly") {
        load_options options = only({folder.path()});
        options.allow_untrusted = true;
        diagnostics problems;
        const plugin_registry registry = plugin_registry::discover(options, problems);
        CHECK_FALSE(problems.has_errors());
        CHECK(registry.find("fixture_good") != nullptr);
    }
    SECTION("accepted when the target's folder is on the search path too, and loaded once") {
        diagnostics problems;
        const plugin_registry registry =
            plugin_registry::discover(only({folder.path(), fixture_folder("good")}), problems);
        CHECK(problems.items().empty());
        REQUIRE(registry.models().size() == 1);
        CHECK(registry.loaded_files() == std::vector<fs::path>{link});
    }
}

TEST_CASE("a dangling plugin symlink is reported and skipped") {
    const temp_folder folder;
    const fs::path link = folder.path() / "libpathways_gone.so";
    fs::create_symlink(folder.path() / "nothing-here.so", link);
    diagnostics problems;
    const plugin_registry registry = plugin_registry::discover(only({folder.path()}), problems);
    REQUIRE(problems.items().size() == 1);
    CHECK(problems.items().front().file == link.string());
    CHECK_THAT(problems.items().front().message,
               Catch::Matchers::StartsWith("plugin 'libpathways_gone.so': cannot resolve the file: "));
}

TEST_CASE("a file that is not a shared library fails to load with the loader's reason") {
    const temp_folder folder;
    const fs::path fake = folder.path() / "libpathways_fake.so";
    {
        std::FILE* file = std::fopen(fake.c_str(), "w");
        REQUIRE(file != nullptr);
        std::fputs("not an ELF file\n", file);
        std::fclose(file);
    }
    diagnostics problems;
    const plugin_registry registry = plugin_registry::discover(only({folder.path()}), problems);
    REQUIRE(problems.items().size() == 1);
    CHECK_THAT(problems.items().front().message,
               Catch::Matchers::StartsWith("plugin 'libpathways_fake.so': cannot load: ") &&
                   Catch::Matchers::Contains("libpathways_fake.so"));
}
