//! Holdings import: plain `symbol,shares` / `symbol,weight` / `symbol,value` files and broker
//! position exports, recognised by their header names:
//! - **Fidelity**: `Account Number,Account Name,Symbol,Description,Quantity,Last Price,…,
//!   Current Value,…,Cost Basis Total,…`; money-market rows such as `SPAXX**` carry only a
//!   value; "Pending Activity" rows; disclaimer lines after the table.
//! - **Schwab**: `"Symbol","Description","Qty (Quantity)","Price",…,"Mkt Val (Market Value)",…`
//!   after preamble lines; "Cash & Cash Investments" and "Account Total" rows.
//! - **IBKR Flex Open Positions**: `Symbol, Quantity, MarkPrice, PositionValue, …` (AssetClass
//!   `CASH` rows are cash).
//! - **Vanguard**: `Account Number,Investment Name,Symbol,Shares,Share Price,Total Value`; the
//!   trades table that follows after a blank line is ignored.
//!
//! Amounts: quantity (negative = short), market value, or weight (a `%` sign, a percent header,
//! or weights summing to about 100 mean percent). Cash and money-market rows become
//! [`Holdings::cash`]; total rows are skipped; a symbol listed twice is an error naming both
//! lines.

use crate::error::{ImportError, ImportErrorKind};
use crate::model::{Holdings, Position};
use crate::text::{normalize_header, parse_number, read_table, Cell, Record};

const SYMBOL: &[&str] = &[
    "symbol",
    "ticker",
    "sym",
    "symbolcusip",
    "tickersymbol",
    "securitysymbol",
    "instrument",
];
const QUANTITY: &[&str] = &[
    "quantity",
    "qty",
    "shares",
    "qtyquantity",
    "units",
    "position",
    "sharesheld",
    "numberofshares",
    "qtyshares",
];
const VALUE: &[&str] = &[
    "currentvalue",
    "marketvalue",
    "mktvalmarketvalue",
    "mktval",
    "value",
    "positionvalue",
    "totalvalue",
    "marketvaluebase",
    "valueusd",
    "amount",
];
const WEIGHT: &[&str] = &[
    "weight",
    "weightpct",
    "weightpercent",
    "allocation",
    "percentofaccount",
    "ofaccount",
    "ofacctofaccount",
    "ofacct",
    "percentofportfolio",
    "ofportfolio",
    "portfoliopct",
    "targetweight",
    "pct",
];
const PRICE: &[&str] = &[
    "lastprice",
    "price",
    "markprice",
    "shareprice",
    "closeprice",
    "currentprice",
    "last",
    "close",
];
const COST: &[&str] = &[
    "costbasistotal",
    "costbasis",
    "costbasismoney",
    "totalcost",
    "costbasiscb",
];
const SECTOR: &[&str] = &["sector", "gicssector", "industry"];
const CLASS: &[&str] = &[
    "assetclass",
    "securitytype",
    "assettype",
    "securitytypeassetclass",
];
const DESCRIPTION: &[&str] = &[
    "description",
    "name",
    "investmentname",
    "securityname",
    "securitydescription",
];
const MONEY_MARKET: &[&str] = &[
    "SPAXX", "FDRXX", "FZFXX", "SWVXX", "SNVXX", "VMFXX", "VMMXX", "CORE",
];

fn col(norm: &[String], names: &[&str]) -> Option<usize> {
    names.iter().find_map(|n| norm.iter().position(|h| h == n))
}

struct Columns {
    symbol: usize,
    quantity: Option<usize>,
    value: Option<usize>,
    weight: Option<usize>,
    price: Option<usize>,
    cost: Option<usize>,
    sector: Option<usize>,
    class: Option<usize>,
    description: Option<usize>,
    weight_percent_header: bool,
}

fn columns(header: &Record) -> Option<Columns> {
    let norm: Vec<String> = header.fields.iter().map(|h| normalize_header(h)).collect();
    let symbol = col(&norm, SYMBOL)?;
    let weight = col(&norm, WEIGHT).or_else(|| {
        norm.iter()
            .position(|h| h.contains("weight") || h.contains("ofacc"))
    });
    let weight_percent_header = weight.is_some_and(|w| {
        let raw = header.get(w).to_lowercase();
        raw.contains('%') || raw.contains("pct") || raw.contains("percent")
    });
    Some(Columns {
        symbol,
        quantity: col(&norm, QUANTITY),
        value: col(&norm, VALUE),
        weight,
        price: col(&norm, PRICE),
        cost: col(&norm, COST),
        sector: col(&norm, SECTOR),
        class: col(&norm, CLASS),
        description: col(&norm, DESCRIPTION),
        weight_percent_header,
    })
}

fn detect_format(header: &Record) -> &'static str {
    let norm: Vec<String> = header.fields.iter().map(|h| normalize_header(h)).collect();
    let has = |n: &str| norm.iter().any(|h| h == n);
    if has("qtyquantity") || has("mktvalmarketvalue") {
        "Schwab"
    } else if has("currentvalue") && has("lastprice") {
        "Fidelity"
    } else if has("markprice") || has("positionvalue") {
        "IBKR Flex"
    } else if has("shareprice") && has("totalvalue") {
        "Vanguard"
    } else {
        "generic"
    }
}

fn is_total(s: &str) -> bool {
    let l = s.trim().to_lowercase();
    l == "total"
        || l.starts_with("account total")
        || l.starts_with("grand total")
        || l.starts_with("total ")
        || l == "totals"
}

fn is_cash(symbol: &str, description: &str, class: &str) -> bool {
    let s = symbol.trim().to_uppercase();
    let base = s.trim_end_matches('*');
    let d = description.to_lowercase();
    let c = class.to_lowercase();
    symbol.ends_with("**")
        || matches!(
            base,
            "CASH"
                | "USD"
                | "EUR"
                | "GBP"
                | "CASH & CASH INVESTMENTS"
                | "CASH & MONEY MARKET"
                | "MONEY MARKET"
                | "CASH AND CASH EQUIVALENTS"
        )
        || s.starts_with("CASH ")
        || MONEY_MARKET.contains(&base)
        || c == "cash"
        || c.contains("money market")
        || (base.is_empty() && (d.contains("cash") || d.contains("money market")))
}

/// Read a holdings file.
pub fn parse_holdings(file_name: &str, bytes: &[u8]) -> Result<Holdings, ImportError> {
    let file = file_name;
    let table = read_table(file, bytes)?;
    let recs = &table.records;
    let Some((hi, cols)) = recs
        .iter()
        .enumerate()
        .take(60)
        .find_map(|(i, r)| columns(r).map(|c| (i, c)))
    else {
        let first = recs.iter().find(|r| r.width() >= 2).unwrap_or(&recs[0]);
        return Err(ImportError::new(
            file,
            ImportErrorKind::NoHeader(format!(
                "no column named Symbol or Ticker (line {} is \"{}\")",
                first.line,
                first.fields.join(",").chars().take(80).collect::<String>()
            )),
        ));
    };
    let header = &recs[hi];
    if cols.quantity.is_none() && cols.value.is_none() && cols.weight.is_none() {
        return Err(ImportError::new(
            file,
            ImportErrorKind::NoQuantityColumn(header.fields.join(", ")),
        )
        .at_line(header.line));
    }
    let format = detect_format(header);
    let mut h = Holdings {
        file: file.to_string(),
        format: format.to_string(),
        ..Default::default()
    };
    h.notes.extend(table.notes.iter().cloned());
    if hi > 0 {
        h.notes
            .push(format!("{hi} line(s) before the header skipped"));
    }
    let rows = &recs[hi + 1..];
    if rows.is_empty() {
        return Err(ImportError::new(file, ImportErrorKind::HeaderOnly).at_line(header.line));
    }
    let num = |r: &Record, c: Option<usize>| -> Result<Option<(f64, bool)>, ImportError> {
        let Some(c) = c else { return Ok(None) };
        match parse_number(r.get(c), table.decimal_comma) {
            Cell::Missing => Ok(None),
            Cell::Value { value, percent } => Ok(Some((value, percent))),
            Cell::Invalid => Err(ImportError::new(
                file,
                ImportErrorKind::NotANumber(r.get(c).to_string()),
            )
            .at_line(r.line)
            .in_column(header.get(c))),
        }
    };
    let text = |r: &Record, c: Option<usize>| {
        c.map(|c| r.get(c).trim().to_string())
            .filter(|s| !s.is_empty())
    };
    let mut weights_percent_cells = false;
    let mut prev_line = header.line;
    let mut skipped_total = 0;
    let mut ended_at = None;
    let mut cash_weight = 0.0;
    let mut has_cash_weight = false;
    for r in rows {
        // The table ends at a blank line or a one-field line once rows have started (footers,
        // disclaimers, a second table).
        let gap = r.line > prev_line + 1;
        if (gap && (!h.positions.is_empty() || h.cash != 0.0))
            || r.fields.len() <= 1
            || columns(r).is_some_and(|c| {
                c.symbol == cols.symbol
                    && r.get(c.symbol)
                        .eq_ignore_ascii_case(header.get(cols.symbol))
            })
        {
            ended_at = Some(r.line);
            break;
        }
        prev_line = r.line;
        let raw_symbol = r.get(cols.symbol).trim();
        let description = text(r, cols.description).unwrap_or_default();
        let class = text(r, cols.class).unwrap_or_default();
        if is_total(raw_symbol)
            || (raw_symbol.is_empty() && is_total(&description))
            || r.fields.iter().take(3).any(|f| is_total(f))
        {
            skipped_total += 1;
            continue;
        }
        let quantity = num(r, cols.quantity)?;
        let value = num(r, cols.value)?;
        let weight = num(r, cols.weight)?;
        if raw_symbol.eq_ignore_ascii_case("pending activity")
            || description.eq_ignore_ascii_case("pending activity")
        {
            if let Some((v, _)) = value {
                h.cash += v;
                h.notes.push(format!(
                    "pending activity on line {} ({v:.2}) counted as cash",
                    r.line
                ));
            }
            continue;
        }
        if is_cash(raw_symbol, &description, &class) {
            let amount = value.or(quantity).map(|x| x.0);
            match (amount, weight) {
                (Some(a), _) => h.cash += a,
                (None, Some((w, p))) => {
                    weights_percent_cells |= p;
                    cash_weight += w;
                    has_cash_weight = true;
                }
                (None, None) => {}
            }
            let label = if raw_symbol.is_empty() {
                description.as_str()
            } else {
                raw_symbol
            };
            h.notes
                .push(format!("line {}: {label} counted as cash", r.line));
            continue;
        }
        if raw_symbol.is_empty() {
            return Err(ImportError::new(file, ImportErrorKind::EmptySymbol)
                .at_line(r.line)
                .in_column(header.get(cols.symbol)));
        }
        let symbol = raw_symbol.trim_end_matches('*').trim().to_uppercase();
        if quantity.is_none() && value.is_none() && weight.is_none() {
            return Err(
                ImportError::new(file, ImportErrorKind::PositionWithoutAmount(symbol))
                    .at_line(r.line),
            );
        }
        if let Some(prev) = h.positions.iter().find(|p| p.symbol == symbol) {
            return Err(ImportError::new(
                file,
                ImportErrorKind::DuplicateHolding {
                    symbol,
                    first_line: prev.line,
                    second_line: r.line,
                },
            ));
        }
        weights_percent_cells |= weight.is_some_and(|w| w.1);
        h.positions.push(Position {
            symbol,
            description: if description.is_empty() {
                None
            } else {
                Some(description)
            },
            quantity: quantity.map(|x| x.0),
            market_value: value.map(|x| x.0),
            weight: weight.map(|x| x.0),
            price: num(r, cols.price)?.map(|x| x.0),
            cost_basis: num(r, cols.cost)?.map(|x| x.0),
            sector: text(r, cols.sector),
            asset_class: if class.is_empty() { None } else { Some(class) },
            line: r.line,
        });
    }
    if h.positions.is_empty() && h.cash == 0.0 {
        return Err(ImportError::new(file, ImportErrorKind::HeaderOnly).at_line(header.line));
    }
    // Weights: a % header or % cells were already handled per cell for cells with '%'; plain
    // numbers under a percent header, or summing to about 100, are percentages.
    let plain_sum: f64 = h.positions.iter().filter_map(|p| p.weight).sum::<f64>() + cash_weight;
    if !weights_percent_cells
        && (cols.weight_percent_header || plain_sum > 1.5)
        && h.positions.iter().any(|p| p.weight.is_some())
    {
        for p in &mut h.positions {
            if let Some(w) = p.weight.as_mut() {
                *w /= 100.0;
            }
        }
        cash_weight /= 100.0;
        h.notes.push("weights read as percentages".into());
    }
    if has_cash_weight {
        h.cash_weight = Some(cash_weight);
    }
    if skipped_total > 0 {
        h.notes
            .push(format!("{skipped_total} total row(s) skipped"));
    }
    if let Some(l) = ended_at {
        h.notes.push(format!(
            "lines from {l} on are not part of the positions table and were ignored"
        ));
    }
    let shorts = h
        .positions
        .iter()
        .filter(|p| p.quantity.is_some_and(|q| q < 0.0) || p.market_value.is_some_and(|v| v < 0.0))
        .count();
    if shorts > 0 {
        h.notes
            .push(format!("{shorts} short position(s) (negative quantity)"));
    }
    h.notes.insert(
        0,
        format!(
            "{} holdings: {} position(s){}",
            format,
            h.positions.len(),
            if h.cash != 0.0 {
                format!(", cash {:.2}", h.cash)
            } else {
                String::new()
            }
        ),
    );
    Ok(h)
}
