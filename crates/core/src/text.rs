//! Text hazards: BOM, line endings, delimiter detection, number formats.
//! (STUB — being implemented.)
