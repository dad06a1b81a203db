using System.Linq.Expressions;
using System.Security.Claims;
using HocLamTheoBac.Web.Data;
using HocLamTheoBac.Web.Domain;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using NpgsqlTypes;

namespace HocLamTheoBac.Web.Infrastructure;

public enum Permission
{
    ViewUnit,
    ManageOrgs,
    ViewMembers,
    EditMembers,
    ManageAccounts,
    ViewAudit,
    PlanYear,
    ManagePledges,
    ViewReports,
    IssueReports,
    /// <summary>Models, replications, study sessions, problems, leaders' tasks, commendations, indicators of a unit.</summary>
    ManageYearRecords,
    /// <summary>A committee's quotas of models and exemplars for the units under it.</summary>
    SetQuotas,
}

/// <summary>What one user may reach: their role bindings with the path of each bound unit.</summary>
public sealed record UserScope(string? UserId, string Name, bool IsOperator, IReadOnlyList<UserScope.Binding> Bindings, int? MemberId)
{
    public sealed record Binding(AppRole Role, int OrgUnitId, LTree Path);

    public static UserScope Operator { get; } = new(null, CurrentActor.Operator.Name, true, [], null);
    public static UserScope Nobody { get; } = new(null, "ẩn danh", false, [], null);

    public IEnumerable<LTree> RootsFor(Permission p) =>
        Bindings.Where(b => AccessService.Grants(b.Role, p)).Select(b => b.Path).Distinct();

}

/// <summary>What every signed-in request needs about its account, read in one round trip (<see cref="AccessService.ReadAccountAsync"/>).</summary>
public sealed record SignedInAccount(string? SecurityStamp, bool MustChangePassword, string? UserName, string? Email, UserScope Scope);

/// <summary>
/// The one place that answers "may this user do X on unit U". Pages, exports and CLI verbs ask it;
/// lists are filtered in SQL with <see cref="InSubtree{T}"/>. Outside the subtree, callers answer 404.
/// </summary>
public sealed class AccessService(AppDbContext db, IHttpContextAccessor? http = null, NpgsqlDataSource? dataSource = null)
{
    private UserScope? _scope;
    private SignedInAccount? _account;

    public static bool Grants(AppRole role, Permission p) => role switch
    {
        AppRole.Admin => true,
        AppRole.Staff => p is Permission.ViewUnit or Permission.ViewMembers or Permission.PlanYear or Permission.ViewReports or Permission.IssueReports or Permission.ManageYearRecords or Permission.SetQuotas,
        AppRole.Secretary => p is Permission.ViewUnit or Permission.ViewMembers or Permission.EditMembers or Permission.ManagePledges or Permission.ViewReports or Permission.ManageYearRecords,
        _ => false,
    };

    /// <summary>Use a fixed scope (the command line's operator, or <c>--as EMAIL</c>).</summary>
    public void UseScope(UserScope scope) => _scope = scope;

    public async Task<UserScope> ScopeAsync(CancellationToken ct = default)
    {
        if (_scope is not null) return _scope;
        var user = http?.HttpContext?.User;
        var id = user?.FindFirstValue(ClaimTypes.NameIdentifier);
        _scope = id is null ? UserScope.Nobody : (await AccountAsync(id, ct))?.Scope ?? UserScope.Nobody;
        return _scope;
    }

    /// <summary>
    /// The signed-in account of this request: read by <see cref="SessionCheck"/> (<see cref="ReadAccountAsync"/>) when the
    /// cookie is validated, then reused by the password check and the scope of the same request; read here if not yet.
    /// </summary>
    public async Task<SignedInAccount?> AccountAsync(string userId, CancellationToken ct = default) =>
        _account is { } a && a.Scope.UserId == userId ? a : await ReadAccountAsync(userId, ct);

    /// <summary>Reads the account afresh (stamp, temporary password, scope) and keeps it for the rest of the request.</summary>
    public async Task<SignedInAccount?> ReadAccountAsync(string userId, CancellationToken ct = default) =>
        _account = dataSource is not null ? await LoadAccountAsync(dataSource, userId, ct) : await LoadAccountAsync(db, userId, ct);

    public static async Task<UserScope?> LoadAsync(AppDbContext db, string userId, CancellationToken ct) =>
        (await LoadAccountAsync(db, userId, ct))?.Scope;

    // One round trip: the user, LEFT JOIN their bindings on open units with each bound unit's path, in the bindings' order.
    // Every signed-in request runs it, read afresh every time, so a revoked binding, a closed unit, a changed stamp or a
    // temporary password takes effect on the very next request. Plain SQL on the site's data source rather than an EF
    // query: the cookie check of a page that reads nothing else then creates no DbContext (EF's per-context services were
    // a fifth of the minimal signed-in page's CPU; docs/performance.md, FLOOR). Prepared on each pooled connection after
    // its second use (ServiceSetup.WithAutoPrepare).
    internal const string AccountSql = """
        SELECT u.user_name, u.email, u.member_id, u.security_stamp, u.must_change_password, b.role, b.org_unit_id, o.path::text
        FROM users AS u
        LEFT JOIN (role_bindings AS b JOIN org_units AS o ON o.id = b.org_unit_id AND o.closed_on IS NULL) ON b.user_id = u.id
        WHERE u.id = $1
        ORDER BY b.id
        """;

    /// <summary>The account on a connection of the data source (the site's requests).</summary>
    public static async Task<SignedInAccount?> LoadAccountAsync(NpgsqlDataSource dataSource, string userId, CancellationToken ct)
    {
        await using var cmd = dataSource.CreateCommand(AccountSql);
        return await ReadAccountAsync(cmd, userId, ct);
    }

    /// <summary>The account on the context's connection (the command line, and hosts without the data source).</summary>
    public static async Task<SignedInAccount?> LoadAccountAsync(AppDbContext db, string userId, CancellationToken ct)
    {
        await db.Database.OpenConnectionAsync(ct);
        try
        {
            await using var cmd = new NpgsqlCommand(AccountSql, (NpgsqlConnection)db.Database.GetDbConnection());
            return await ReadAccountAsync(cmd, userId, ct);
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    private static async Task<SignedInAccount?> ReadAccountAsync(NpgsqlCommand cmd, string userId, CancellationToken ct)
    {
        cmd.Parameters.Add(new NpgsqlParameter<string> { NpgsqlDbType = NpgsqlDbType.Text, TypedValue = userId });
        await using var r = await cmd.ExecuteReaderAsync(ct);
        return await ReadAccountAsync(r, userId, ct);
    }

    /// <summary>
    /// Reads the account afresh, as <see cref="ReadAccountAsync(string, CancellationToken)"/>, as the first statement of a batch
    /// that also carries a page view's first statements (<see cref="IReadsWithAccount"/>, the request's endpoint): one round trip
    /// for the cookie check and the page's first reads (docs/performance.md, GRID20; ADR 0038). The account is read and kept
    /// exactly as alone; the view's results wait in the request (<see cref="ViewReadWithAccount"/>) until the page takes them, and
    /// are dropped unread when the session check refuses the cookie. Without a data source, or when the endpoint adds nothing
    /// (a post, another address), the account is read alone.
    /// </summary>
    public async Task<SignedInAccount?> ReadAccountAsync(string userId, HttpContext http, IReadsWithAccount reads, CancellationToken ct = default)
    {
        var batch = new NpgsqlBatch();
        await using var _ = batch;
        var account = new NpgsqlBatchCommand(AccountSql);
        account.Parameters.Add(new NpgsqlParameter<string> { NpgsqlDbType = NpgsqlDbType.Text, TypedValue = userId });
        batch.BatchCommands.Add(account);
        if (dataSource is null || reads.Add(http, batch) is not { } view) return await ReadAccountAsync(userId, ct);
        var conn = batch.Connection = await dataSource.OpenConnectionAsync(ct);
        try
        {
            await using (var r = await batch.ExecuteReaderAsync(ct))
            {
                _account = await ReadAccountAsync(r, userId, ct);
                await r.NextResultAsync(ct);
                await view.ReadAsync(r, ct);
            }
        }
        catch
        {
            await conn.DisposeAsync();
            throw;
        }
        // The connection goes with the view's results: the page continues on it and disposes it (or the request's end does).
        view.Connection = conn;
        http.Response.RegisterForDisposeAsync(conn);
        http.Features.Set(view);
        return _account;
    }

    private static async Task<SignedInAccount?> ReadAccountAsync(NpgsqlDataReader r, string userId, CancellationToken ct)
    {
        if (!await r.ReadAsync(ct)) return null;
        var userName = r.IsDBNull(0) ? null : r.GetString(0);
        var email = r.IsDBNull(1) ? null : r.GetString(1);
        int? memberId = r.IsDBNull(2) ? null : r.GetInt32(2);
        var stamp = r.IsDBNull(3) ? null : r.GetString(3);
        var mustChange = r.GetBoolean(4);
        var bindings = new List<UserScope.Binding>();
        do
        {
            if (!r.IsDBNull(5)) bindings.Add(new UserScope.Binding((AppRole)r.GetInt32(5), r.GetInt32(6), new LTree(r.GetString(7))));
        } while (await r.ReadAsync(ct));
        return new SignedInAccount(stamp, mustChange, userName, email, new UserScope(userId, email ?? userId, false, bindings, memberId));
    }

    public static async Task<UserScope?> LoadByEmailAsync(AppDbContext db, string email, CancellationToken ct)
    {
        var norm = email.Trim().ToUpperInvariant();
        var id = await db.Users.Where(u => u.NormalizedEmail == norm).Select(u => u.Id).SingleOrDefaultAsync(ct);
        return id is null ? null : await LoadAsync(db, id, ct);
    }

    public static bool Can(UserScope scope, Permission p, LTree unitPath) =>
        scope.IsOperator || scope.RootsFor(p).Any(root => OrgPaths.IsWithin(unitPath, root));

    public async Task<bool> CanAsync(Permission p, int unitId, CancellationToken ct = default)
    {
        var scope = await ScopeAsync(ct);
        if (scope.IsOperator) return await db.OrgUnits.AnyAsync(u => u.Id == unitId, ct);
        return await Units(scope, p).AnyAsync(u => u.Id == unitId, ct);
    }

    /// <summary>The unit, or null when it does not exist or lies outside the user's subtree for that permission.</summary>
    public async Task<OrgUnit?> FindUnitAsync(int unitId, Permission p, CancellationToken ct = default)
    {
        var scope = await ScopeAsync(ct);
        return await Units(scope, p).Include(u => u.Kind).FirstOrDefaultAsync(u => u.Id == unitId, ct);
    }

    /// <summary>
    /// The unit and those of its ancestors the user reaches for that permission (a dashboard's trail), with their kinds, in
    /// one compiled query (the units whose path contains the unit's), filtered as <see cref="Units"/> filters in SQL
    /// (<see cref="Can(UserScope, Permission, LTree)"/>: <c>path &lt;@ root</c>). The unit itself is missing when it does
    /// not exist or lies outside the user's subtree.
    /// </summary>
    public async Task<List<OrgUnit>> UnitWithAncestorsAsync(int unitId, Permission p, CancellationToken ct = default)
    {
        var scope = await ScopeAsync(ct);
        var units = new List<OrgUnit>();
        await foreach (var u in UnitAndAncestors(db, unitId).WithCancellation(ct))
            if (Can(scope, p, u.Path)) units.Add(u);
        return units;
    }

    /// <summary>
    /// <see cref="UnitWithAncestorsAsync"/>'s units for a page that reads on a connection of the data source without EF's
    /// context (the dashboard's view: docs/performance.md, DASH17): EF's SQL of the same LINQ (<see cref="UnitAndAncestorsQuery"/>),
    /// generated once (<see cref="KeptStatement"/>), each unit with its kind's columns in the projection's order; filtered by
    /// <see cref="ReadUnitAndAncestorsAsync"/> as the compiled query's caller filters (<see cref="Can(UserScope, Permission, LTree)"/>
    /// on each path).
    /// </summary>
    internal static NpgsqlBatchCommand UnitAndAncestorsCommand(AppDbContext db, int unitId) =>
        KeptStatement.For(db, "unit-and-ancestors", static db => KeptStatement.Of(
            UnitAndAncestorsQuery.Compile()(db, SampleUnit).Select(u => new
            {
                u.Id, u.Code, u.Name, u.KindId, u.ParentId, u.Path, u.FoundedYear, u.ClosedOn, u.MergedIntoId, u.Version,
                KindId2 = u.Kind.Id, KindCode = u.Kind.Code, KindName = u.Kind.Name, u.Kind.Symbol, u.Kind.IsBranch, u.Kind.SortOrder,
            }), UnitAndAncestorsColumns, SampleUnit)).CreateBatchCommand(unitId);

    private const int SampleUnit = 987654321, UnitAndAncestorsColumns = 16;

    /// <summary>The rows of <see cref="UnitAndAncestorsCommand"/> (the reader on its result) the user reaches for <paramref name="p"/>.</summary>
    internal static async Task<List<OrgUnit>> ReadUnitAndAncestorsAsync(NpgsqlDataReader r, UserScope scope, Permission p, CancellationToken ct)
    {
        if (r.FieldCount != UnitAndAncestorsColumns) throw new InvalidOperationException($"The unit-and-ancestors statement has {r.FieldCount} columns, its reader reads {UnitAndAncestorsColumns}.");
        var units = new List<OrgUnit>();
        while (await r.ReadAsync(ct))
        {
            var path = new LTree(r.GetString(5));
            if (!Can(scope, p, path)) continue;
            units.Add(new OrgUnit
            {
                Id = r.GetInt32(0), Code = r.GetString(1), Name = r.GetString(2), KindId = r.GetInt32(3), ParentId = r.IsDBNull(4) ? null : r.GetInt32(4),
                Path = path, FoundedYear = r.GetInt32(6), ClosedOn = r.IsDBNull(7) ? null : r.GetFieldValue<DateOnly>(7),
                MergedIntoId = r.IsDBNull(8) ? null : r.GetInt32(8), Version = r.GetFieldValue<uint>(9),
                Kind = new OrgKind { Id = r.GetInt32(10), Code = r.GetString(11), Name = r.GetString(12), Symbol = r.GetString(13), IsBranch = r.GetBoolean(14), SortOrder = r.GetInt32(15) },
            });
        }
        return units;
    }

    /// <summary>The unit and every unit whose path contains its path, with their kinds: the one home of the dashboard's trail
    /// (the compiled query of <see cref="UnitWithAncestorsAsync"/> and the view's statement of <see cref="UnitAndAncestorsCommand"/>).</summary>
    private static readonly Expression<Func<AppDbContext, int, IQueryable<OrgUnit>>> UnitAndAncestorsQuery = (db, id) =>
        db.OrgUnits.AsNoTracking().Include(u => u.Kind)
            .Where(u => u.Path.IsAncestorOf(db.OrgUnits.Where(o => o.Id == id).Select(o => o.Path).First()));

    private static readonly Func<AppDbContext, int, IAsyncEnumerable<OrgUnit>> UnitAndAncestors = EF.CompileAsyncQuery(UnitAndAncestorsQuery);

    public IQueryable<OrgUnit> Units(UserScope scope, Permission p) =>
        scope.IsOperator ? db.OrgUnits : db.OrgUnits.Where(InSubtree<OrgUnit>(u => u.Path, scope.RootsFor(p)));

    /// <summary>
    /// Accounts an administrator may manage (reset password, unlock, grant, revoke): every role binding of
    /// the account lies inside the administrator's subtree, so nobody can take over an account that also
    /// acts above or beside them. The operator manages every account.
    /// </summary>
    public IQueryable<AppUser> ManageableAccounts(UserScope scope)
    {
        if (scope.IsOperator) return db.Users;
        var units = Units(scope, Permission.ManageAccounts);
        return db.Users.Where(u => db.RoleBindings.Any(b => b.UserId == u.Id)
                                   && db.RoleBindings.Where(b => b.UserId == u.Id).All(b => units.Any(m => m.Id == b.OrgUnitId)));
    }

    /// <summary>Members visible for a permission: those in the subtree; a plain member sees only their own record.</summary>
    public IQueryable<Member> Members(UserScope scope, Permission p)
    {
        if (scope.IsOperator) return db.Members;
        var bySubtree = InSubtree<Member>(m => m.Branch.Path, scope.RootsFor(p));
        if (scope.MemberId is int own && p == Permission.ViewMembers)
        {
            var param = bySubtree.Parameters[0];
            Expression<Func<Member, bool>> self = m => m.Id == own;
            var body = Expression.OrElse(bySubtree.Body, new ParameterReplacer(self.Parameters[0], param).Visit(self.Body));
            return db.Members.Where(Expression.Lambda<Func<Member, bool>>(body, param));
        }
        return db.Members.Where(bySubtree);
    }

    /// <summary>
    /// Pledges the user may see: those registered in their subtree, those of members whose current branch lies in it
    /// (read only after a transfer), and their own.
    /// </summary>
    public IQueryable<Pledge> Pledges(UserScope scope)
    {
        if (scope.IsOperator) return db.Pledges;
        var units = Units(scope, Permission.ViewMembers).Select(u => u.Id);
        var own = scope.MemberId ?? -1;
        return db.Pledges.Where(p => p.MemberId == own || units.Contains(p.BranchId) || units.Contains(p.Member.BranchId));
    }

    /// <summary>
    /// What the user is relative to one pledge: its owner, the secretary of the branch it was registered in (a
    /// secretary binding on that branch or an ancestor; the operator too), and otherwise a reader. What each may do
    /// from each status is the rules table (<see cref="PledgeRules"/>).
    /// </summary>
    public static PledgeRole PledgeRoleFor(UserScope scope, int memberId, LTree branchPath)
    {
        var role = PledgeRole.Reader;
        if (scope.MemberId == memberId) role |= PledgeRole.Owner;
        if (IsPledgeSecretary(scope, branchPath)) role |= PledgeRole.Secretary;
        return role;
    }

    /// <summary>Whether the user acts as the secretary for the pledges registered in this branch (grid, bulk actions, import, grades).</summary>
    public static bool IsPledgeSecretary(UserScope scope, LTree branchPath)
    {
        if (scope.IsOperator) return true;
        var ids = OrgPaths.Ids(branchPath).ToHashSet();
        return scope.Bindings.Any(b => b.Role == AppRole.Secretary && ids.Contains(b.OrgUnitId));
    }

    /// <summary>Branches whose pledges the user enters as secretary (the import page and <c>hlb import pledges</c>).</summary>
    public IQueryable<OrgUnit> PledgeBranches(UserScope scope) => scope.IsOperator
        ? db.OrgUnits
        : Units(scope, Permission.ManagePledges).Where(InSubtree<OrgUnit>(u => u.Path, scope.Bindings.Where(b => b.Role == AppRole.Secretary).Select(b => b.Path).Distinct()));

    /// <summary>An expression "path lies under any of these roots", parameterised so PostgreSQL sees <c>path &lt;@ $1 OR …</c>.</summary>
    public static Expression<Func<T, bool>> InSubtree<T>(Expression<Func<T, LTree>> path, IEnumerable<LTree> roots)
    {
        var param = path.Parameters[0];
        Expression? body = null;
        foreach (var root in roots)
        {
            var holder = new PathHolder { Root = root };
            var rootExpr = Expression.Property(Expression.Constant(holder), nameof(PathHolder.Root));
            var call = Expression.Call(path.Body, typeof(LTree).GetMethod(nameof(LTree.IsDescendantOf))!, rootExpr);
            body = body is null ? call : Expression.OrElse(body, call);
        }
        return Expression.Lambda<Func<T, bool>>(body ?? Expression.Constant(false), param);
    }

    private sealed class PathHolder
    {
        public LTree Root { get; init; }
    }

    private sealed class ParameterReplacer(ParameterExpression from, ParameterExpression to) : ExpressionVisitor
    {
        protected override Expression VisitParameter(ParameterExpression node) => node == from ? to : base.VisitParameter(node);
    }
}
