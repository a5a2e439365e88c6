# Two further public clinical tables for run-search-quality.sh, from datasets that Debian's R
# packages bundle (r-cran-mass, r-cran-survival), written as CSV with a true/false target "outcome".
#   Rscript r_tables.R OUT_DIR [SHIFT_DIR]
# birthwt: Hosmer & Lemeshow's low birth weight study (Baystate Medical Center, 1986), 189 mothers;
#   outcome = birth weight under 2.5 kg (the column `low`); the weight itself (`bwt`) is left out.
# pbc: Mayo Clinic primary biliary cholangitis trial and registry (1974-1984), 418 patients;
#   outcome = died within 5 years of registration; patients followed for less than 5 years and alive
#   (or transplanted) then are left out, as their outcome is unknown. The follow-up columns
#   (time, status) and the id are left out; sex is coded 1 for female.
# With SHIFT_DIR, pbc is also written in two parts for run-shift.sh: pbc-trial.csv (the 312 patients
# of the randomized trial) and pbc-registry.csv (the 106 followed alongside it, not randomized, whose
# ascites, hepato, spiders, chol, copper, alk_phos, ast and trig were not recorded), without trt.
args <- commandArgs(trailingOnly = TRUE)
out <- args[1]
suppressPackageStartupMessages({ library(MASS); library(survival) })
tf <- function(x) ifelse(x, "true", "false")

b <- birthwt
b$outcome <- tf(b$low == 1)
b$low <- NULL
b$bwt <- NULL
write.csv(b, file.path(out, "birthwt.csv"), row.names = FALSE, na = "")

p <- pbc
trial <- !is.na(p$trt)
five <- 5 * 365.25
known <- (p$status == 2) | (p$time >= five)
p <- p[known, ]
trial <- trial[known]
p$outcome <- tf(p$status == 2 & p$time < five)
p$sex <- ifelse(p$sex == "f", 1, 0)
p$id <- NULL
p$time <- NULL
p$status <- NULL
names(p) <- gsub(".", "_", names(p), fixed = TRUE)
write.csv(p, file.path(out, "pbc.csv"), row.names = FALSE, na = "")

if (length(args) > 1) {
  p$trt <- NULL
  write.csv(p[trial, ], file.path(args[2], "pbc-trial.csv"), row.names = FALSE, na = "")
  write.csv(p[!trial, ], file.path(args[2], "pbc-registry.csv"), row.names = FALSE, na = "")
}
