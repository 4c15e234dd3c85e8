//! Monte Carlo VaR (work in progress: see the helper's brief).
