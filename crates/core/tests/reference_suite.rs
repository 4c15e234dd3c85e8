//! The wider metric suite (later analytics issue) against the recommended reference values on
//! P4. Ballast reports losses (VaR, ES, drawdowns) as positive fractions; the reference keeps
//! each library's sign, flipped here where noted.

use ballast_core::drawdown::{
    average_drawdown, drawdown_series, episodes, max_drawdown, ulcer_index, wealth,
};
use ballast_core::metrics::{
    annualized_mean, best_worst, cagr, calmar, gain_to_pain, gain_to_pain_monthly, kelly, omega,
    stability, tail_ratio, win_rate,
};
use ballast_core::moments::{excess_kurtosis, skew};
use ballast_core::relative::{alpha, information_ratio, r_squared, tracking_error};
use ballast_core::var::{cornish_fisher_var, gaussian_es, gaussian_var};
mod common;

use chrono::NaiveDate;
use common::{assert_rel, input, rec, reference};
use serde_json::Value;

/// Closed-form figures: 1e-9 relative (see tests/data/reference/README.md).
const CLOSED_FORM_REL_TOL: f64 = 1e-9;
/// Gaussian and Cornish-Fisher VaR go through statrs' normal quantile, accurate to ~1e-15
/// relative; the same 1e-9 holds.
const PARAMETRIC_REL_TOL: f64 = 1e-9;
const P: f64 = 252.0;

#[test]
fn return_distribution_and_ratio_metrics() {
    let v = reference();
    let common::Input { dates, p4: r, .. } = input();
    assert_rel(
        "annualized mean",
        annualized_mean(&r, P),
        rec(&v, "annualized_mean_return"),
        CLOSED_FORM_REL_TOL,
    );
    let dd = drawdown_series(&wealth(&r));
    assert_rel(
        "calmar",
        calmar(cagr(&r, P), max_drawdown(&dd)),
        rec(&v, "calmar"),
        CLOSED_FORM_REL_TOL,
    );
    assert_rel(
        "omega",
        omega(&r, 0.0),
        rec(&v, "omega"),
        CLOSED_FORM_REL_TOL,
    );
    assert_rel("skew G1", skew(&r), rec(&v, "skew"), CLOSED_FORM_REL_TOL);
    assert_rel(
        "excess kurtosis G2",
        excess_kurtosis(&r),
        rec(&v, "kurtosis_excess"),
        CLOSED_FORM_REL_TOL,
    );
    assert_rel(
        "tail ratio",
        tail_ratio(&r),
        rec(&v, "tail_ratio"),
        CLOSED_FORM_REL_TOL,
    );
    assert_rel(
        "win rate",
        win_rate(&r),
        rec(&v, "win_rate"),
        CLOSED_FORM_REL_TOL,
    );
    let (best, worst) = best_worst(&r);
    assert_rel("best day", best, rec(&v, "best_day"), CLOSED_FORM_REL_TOL);
    assert_rel(
        "worst day",
        worst,
        rec(&v, "worst_day"),
        CLOSED_FORM_REL_TOL,
    );
    assert_rel(
        "stability",
        stability(&r),
        rec(&v, "stability"),
        CLOSED_FORM_REL_TOL,
    );
    assert_rel(
        "gain to pain",
        gain_to_pain(&r),
        rec(&v, "gain_to_pain"),
        CLOSED_FORM_REL_TOL,
    );
    assert_rel(
        "gain to pain (monthly)",
        gain_to_pain_monthly(&dates, &r),
        rec(&v, "gain_to_pain_monthly"),
        CLOSED_FORM_REL_TOL,
    );
    assert_rel(
        "kelly",
        kelly(&r),
        rec(&v, "kelly_criterion"),
        CLOSED_FORM_REL_TOL,
    );
}

#[test]
fn drawdown_averages() {
    let v = reference();
    let common::Input { dates, p4: r, .. } = input();
    let mut d = vec![NaiveDate::from_ymd_opt(1990, 1, 2).expect("base date")];
    d.extend(dates);
    let dd = drawdown_series(&wealth(&r));
    // Reference: negative mean of episode depths (QuantStats).
    assert_rel(
        "average drawdown",
        average_drawdown(&episodes(&d, &dd)),
        -rec(&v, "average_drawdown"),
        CLOSED_FORM_REL_TOL,
    );
    assert_rel(
        "ulcer index",
        ulcer_index(&dd),
        rec(&v, "ulcer_index"),
        CLOSED_FORM_REL_TOL,
    );
}

#[test]
fn parametric_var_and_es() {
    let v = reference();
    let r = input().p4;
    for c in ["95", "99"] {
        let conf = c.parse::<f64>().expect("level") / 100.0;
        assert_rel(
            &format!("gaussian VaR {c}"),
            gaussian_var(&r, conf),
            -rec(&v, &format!("var_parametric_{c}")),
            PARAMETRIC_REL_TOL,
        );
        assert_rel(
            &format!("gaussian ES {c}"),
            gaussian_es(&r, conf),
            -rec(&v, &format!("cvar_parametric_{c}")),
            PARAMETRIC_REL_TOL,
        );
        let cf = cornish_fisher_var(&r, conf);
        let key = format!("var_cornish_fisher_{c}");
        assert_rel(
            &format!("CF VaR {c}"),
            cf.var,
            -rec(&v, &key),
            PARAMETRIC_REL_TOL,
        );
        assert_rel(
            "CF skew",
            cf.skew,
            v["metrics"][&key]["skew_population"]
                .as_f64()
                .unwrap_or(f64::NAN),
            CLOSED_FORM_REL_TOL,
        );
        assert_rel(
            "CF kurtosis",
            cf.excess_kurtosis,
            v["metrics"][&key]["excess_kurtosis_population"]
                .as_f64()
                .unwrap_or(f64::NAN),
            CLOSED_FORM_REL_TOL,
        );
        assert_eq!(
            Some(cf.in_monotone_domain),
            v["metrics"][&key]["in_monotone_domain"].as_bool()
        );
    }
}

#[test]
fn benchmark_relative() {
    let v = reference();
    let common::Input {
        p4: r, sp500: b, ..
    } = input();
    assert_rel(
        "alpha",
        alpha(&r, &b, P),
        rec(&v, "alpha_annualized"),
        CLOSED_FORM_REL_TOL,
    );
    assert_rel(
        "R²",
        r_squared(&r, &b),
        rec(&v, "r_squared"),
        CLOSED_FORM_REL_TOL,
    );
    assert_rel(
        "tracking error",
        tracking_error(&r, &b, P),
        rec(&v, "tracking_error_annualized"),
        CLOSED_FORM_REL_TOL,
    );
    assert_rel(
        "information ratio",
        information_ratio(&r, &b, P),
        rec(&v, "information_ratio_annualized"),
        CLOSED_FORM_REL_TOL,
    );
}

/// Rolling volatility points and the monthly table: 1e-12 absolute (reference README).
const SERIES_ABS_TOL: f64 = 1e-12;

#[test]
fn rolling_volatility_126() {
    let v = reference();
    let common::Input { dates, p4: r, .. } = input();
    let roll = ballast_core::rolling::rolling_volatility(&dates, &r, 126, P);
    let want = &v["metrics"]["rolling_volatility_126"]["value"];
    assert_eq!(
        roll.values.len() as u64,
        want["n_values"].as_u64().unwrap_or(0)
    );
    let n = roll.values.len();
    let check = |pairs: &Value, offset: usize| {
        for (k, pair) in pairs.as_array().expect("pairs").iter().enumerate() {
            let i = offset + k;
            assert_eq!(roll.dates[i].to_string(), pair[0].as_str().unwrap_or(""));
            let w = pair[1].as_f64().unwrap_or(f64::NAN);
            assert!(
                (roll.values[i] - w).abs() <= SERIES_ABS_TOL,
                "{}: {} vs {w}",
                roll.dates[i],
                roll.values[i]
            );
        }
    };
    check(&want["first"], 0);
    check(&want["last"], n - 5);
}

#[test]
fn monthly_and_yearly_returns() {
    let v = reference();
    let common::Input { dates, p4: r, .. } = input();
    let table = ballast_core::periods::monthly_table(&dates, &r);
    let want = v["metrics"]["monthly_returns"]["value"]
        .as_object()
        .expect("object");
    let mut checked = 0;
    for row in &table {
        let eoy = want[&format!("{}-EOY", row.year)]
            .as_f64()
            .unwrap_or(f64::NAN);
        assert!(
            (row.year_return - eoy).abs() <= SERIES_ABS_TOL,
            "{}",
            row.year
        );
        for (m, cell) in row.months.iter().enumerate() {
            let key = format!("{}-{:02}", row.year, m + 1);
            match (cell, want.get(&key).and_then(Value::as_f64)) {
                (Some(got), Some(w)) => {
                    assert!((got - w).abs() <= SERIES_ABS_TOL, "{key}: {got} vs {w}");
                    checked += 1;
                }
                (None, None) => {}
                (got, w) => panic!("{key}: {got:?} vs {w:?}"),
            }
        }
        checked += 1;
    }
    assert_eq!(checked, want.len(), "every month and year compared");
}
