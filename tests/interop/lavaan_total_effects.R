# lavaan reads the theory of change that `pathways graph --format lavaan` writes, and the total effects
# its fixed coefficients imply, (I - B)^-1 - I over its regressions, equal `pathways effects` (to the
# 6 significant digits it prints).
# Usage: Rscript lavaan_total_effects.R MODEL.lav EFFECTS.csv   (exit 77: lavaan is not installed)
args <- commandArgs(trailingOnly = TRUE)
if (!requireNamespace("lavaan", quietly = TRUE)) {
  cat("skipped: the R package lavaan is not installed (scripts/install-deps.sh installs r-cran-lavaan)\n")
  quit(status = 77)
}
table <- lavaan::lavaanify(paste(readLines(args[1]), collapse = "\n"), fixed.x = FALSE)
regressions <- table[table$op == "~", ]
stopifnot(nrow(regressions) > 0, all(regressions$free == 0))  # every coefficient fixed
variables <- unique(c(regressions$lhs, regressions$rhs))
B <- matrix(0, length(variables), length(variables), dimnames = list(variables, variables))
B[cbind(regressions$lhs, regressions$rhs)] <- regressions$ustart
total <- solve(diag(length(variables)) - B) - diag(length(variables))

effects <- read.csv(args[2], stringsAsFactors = FALSE)
known <- effects$source %in% variables & effects$outcome %in% variables
implied <- ifelse(known, total[cbind(ifelse(known, effects$outcome, variables[1]), ifelse(known, effects$source, variables[1]))], 0)
difference <- abs(implied - effects$total)
cat(sprintf("%d regressions, %d variables, %d effects compared, largest difference %.3g\n",
            nrow(regressions), length(variables), nrow(effects), max(difference)))
# pathways prints 6 significant digits: allow that rounding and no more.
tolerance <- 5e-6 * abs(effects$total) + 1e-15
if (nrow(effects) < 1 || any(difference > tolerance)) {
  worst <- which.max(difference / tolerance)
  cat(sprintf("mismatch: %s -> %s lavaan %.17g, pathways %.17g\n", effects$source[worst], effects$outcome[worst],
              implied[worst], effects$total[worst]))
  quit(status = 1)
}
