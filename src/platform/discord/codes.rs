//! Discord's JSON error codes that Ponder tells apart (the `code` of an API
//! error answer), named as Discord's documentation names them.

/// Unknown Channel: the channel is gone.
pub const UNKNOWN_CHANNEL: i64 = 10003;
/// Unknown Member: the user is not in that server.
pub const UNKNOWN_MEMBER: i64 = 10007;
/// Unknown Message: the message is gone (deleted, say).
pub const UNKNOWN_MESSAGE: i64 = 10008;
/// Unknown User.
pub const UNKNOWN_USER: i64 = 10013;
/// Missing Access: the bot cannot see the channel.
pub const MISSING_ACCESS: i64 = 50001;
/// Cannot send messages to this user (direct messages closed).
pub const CANNOT_MESSAGE_USER: i64 = 50007;
/// Missing Permissions.
pub const MISSING_PERMISSIONS: i64 = 50013;
/// A thread has already been created for this message.
pub const THREAD_ALREADY_CREATED: i64 = 160004;
