// Half of the fingerprint test: this translation unit sees the SDK's build configuration as a Debug
// plugin build does (no NDEBUG); fingerprint_test.cpp sees it as a Release build does.
#undef NDEBUG
#include "pathways/sdk/build_config.hpp"

namespace pathways::test {
const char* fingerprint_without_ndebug() { return PATHWAYS_BUILD_FINGERPRINT; }
}  // namespace pathways::test
