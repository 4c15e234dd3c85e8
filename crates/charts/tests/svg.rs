//! The charts drawn to SVG natively: lines and areas are emitted; bad data does not panic.

use ballast_charts::{equity_curve, underwater, EquityChart};
use chrono::NaiveDate;
use plotters::prelude::*;

fn dates(n: usize) -> Vec<NaiveDate> {
    let start = NaiveDate::from_ymd_opt(2020, 1, 1).unwrap_or_default();
    (0..n)
        .map(|i| start + chrono::Duration::days(i as i64))
        .collect()
}

fn svg(draw: impl FnOnce(&DrawingArea<SVGBackend, plotters::coord::Shift>)) -> String {
    let mut out = String::new();
    {
        let root = SVGBackend::with_string(&mut out, (800, 300)).into_drawing_area();
        draw(&root);
    }
    out
}

#[test]
fn equity_curve_draws_both_lines() {
    let d = dates(50);
    let p: Vec<f64> = (0..50).map(|i| 1.0 + i as f64 * 0.01).collect();
    let b: Vec<f64> = (0..50)
        .map(|i| 1.0 + (i as f64 * 0.3).sin() * 0.05)
        .collect();
    for log in [false, true] {
        let s = svg(|a| {
            equity_curve(
                a,
                &EquityChart {
                    dates: &d,
                    portfolio: &p,
                    portfolio_label: "Portfolio",
                    benchmark: Some(("SP500", &b)),
                    log_scale: log,
                },
            )
            .expect("draws")
        });
        assert!(
            s.matches("<polyline").count() >= 2,
            "two series lines: {}",
            &s[..s.len().min(400)]
        );
        assert!(
            s.contains("#1F5FA8") || s.contains("#1f5fa8") || s.contains("rgb(31,95,168)"),
            "portfolio colour used"
        );
    }
}

#[test]
fn underwater_draws_an_area() {
    let d = dates(30);
    let dd: Vec<f64> = (0..30)
        .map(|i| -((i as f64 * 0.4).sin().abs()) * 0.2)
        .collect();
    let s = svg(|a| underwater(a, &d, &dd).expect("draws"));
    assert!(
        s.contains("<polygon") || s.contains("<path"),
        "an area is drawn"
    );
}

#[test]
fn empty_constant_and_nan_data_do_not_panic() {
    let d = dates(3);
    let _ = svg(|a| {
        equity_curve(
            a,
            &EquityChart {
                dates: &[],
                portfolio: &[],
                portfolio_label: "P",
                benchmark: None,
                log_scale: false,
            },
        )
        .expect("empty ok")
    });
    let _ = svg(|a| {
        equity_curve(
            a,
            &EquityChart {
                dates: &d,
                portfolio: &[1.0, 1.0, 1.0],
                portfolio_label: "P",
                benchmark: None,
                log_scale: true,
            },
        )
        .expect("constant ok")
    });
    let _ = svg(|a| {
        equity_curve(
            a,
            &EquityChart {
                dates: &d,
                portfolio: &[f64::NAN, 1.0, -1.0],
                portfolio_label: "P",
                benchmark: None,
                log_scale: true,
            },
        )
        .expect("nan ok")
    });
    let _ = svg(|a| underwater(a, &d, &[0.0, 0.0, 0.0]).expect("flat ok"));
    let _ = svg(|a| underwater(a, &[], &[]).expect("empty ok"));
}
