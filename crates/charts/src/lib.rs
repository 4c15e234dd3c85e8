//! Ballast charts (STUB).
