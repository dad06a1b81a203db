namespace HocLamTheoBac.Web.Domain;

/// <summary>
/// Whether an account may sign in, the one home of the rule for the account pages. Two kinds of lock share Identity's
/// lockout end: a sustained run of failed sign-ins (lifted by the date, LoginThrottle) and an administrator's
/// "Khóa tài khoản" for someone who no longer uses the system (no date: lifted only by "Mở khóa"). The account keeps its
/// roles, so it stays in its administrators' lists and can be opened again (revoking the last role instead left an
/// account no administrator could see).
/// </summary>
public static class AccountLock
{
    /// <summary>The lockout end an administrator's lock writes; any end at or after it is that kind of lock.</summary>
    public static readonly DateTimeOffset ByAdministrator = new(9999, 12, 31, 0, 0, 0, TimeSpan.Zero);

    public enum State { Active, LockedOut, LockedByAdministrator }

    public static State Of(DateTimeOffset? lockoutEnd, DateTimeOffset now) =>
        lockoutEnd is not { } end || end <= now ? State.Active
        : end >= ByAdministrator ? State.LockedByAdministrator
        : State.LockedOut;

    public static string Label(this State state) => state switch
    {
        State.LockedOut => "Đang bị khóa do đăng nhập sai nhiều lần",
        State.LockedByAdministrator => "Đã bị quản trị viên khóa",
        _ => "Hoạt động",
    };
}
