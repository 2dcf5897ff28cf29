//! End-to-end tests of the `pach` binary, one module per subcommand area (one test binary).

#[path = "../common/mod.rs"]
mod common;

mod add;
mod branch_tag;
mod checkout;
mod commit;
mod diff;
mod faults;
mod fsck_gc;
mod init;
mod lock;
mod log;
mod ls_cat_show;
mod names;
mod rm;
mod status;
