//! End-to-end tests of the `pach` binary, one module per subcommand area (one test binary).

// Tests may unwrap: a panic is the failure report (STYLE.md: no `unwrap()` outside tests).
#![allow(clippy::unwrap_used)]

#[path = "../common/mod.rs"]
mod common;

mod add;
mod branch_tag;
mod checkout;
mod chunks;
mod commit;
mod diff;
mod faults;
mod fsck_gc;
mod gitignore;
mod hints;
mod hostile;
mod init;
mod json;
mod lock;
mod log;
mod ls_cat_show;
mod merge;
mod mv;
mod names;
mod purge;
mod reflog;
mod reset;
mod restore;
mod revert;
mod rm;
mod status;
