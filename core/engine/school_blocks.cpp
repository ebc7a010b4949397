#include "engine/school_blocks.hpp"

#include <algorithm>

namespace pathways {

std::size_t block_count(std::size_t schools, std::size_t schools_per_block) {
    return std::max<std::size_t>(1, (schools + schools_per_block - 1) / schools_per_block);
}

work_share share_of(std::size_t items, std::size_t part, std::size_t parts) {
    const std::size_t base = items / parts;
    const std::size_t extra = items % parts;
    return {part * base + std::min(part, extra), base + (part < extra ? 1 : 0)};
}

}  // namespace pathways
