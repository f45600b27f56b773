//! The files a Party office lives in. Word documents people upload are read here (`docx`),
//! under limits, for the case library's preview and search; Excel workbooks (`xlsx`) for the
//! text of attachments.

pub mod docx;
pub mod xlsx;
