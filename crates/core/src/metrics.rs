//! (STUB — being implemented.)
