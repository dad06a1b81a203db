using HocLamTheoBac.Web.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.EntityFrameworkCore.Storage;

namespace HocLamTheoBac.Web.Data;

/// <summary>
/// What every save of <see cref="AppDbContext"/> goes through, wherever it comes from (pages, imports, restructuring, the
/// command line): the year guard refuses a change to a closed year (Data/YearGuard.cs), and the audit trail records who
/// changed what, before and after (Data/AuditTrail.cs). Keys of new rows exist only once the rows are written, so the
/// audit rows follow the change inside the same transaction: both are kept, or neither.
/// </summary>
internal sealed class SaveChangesGuard : SaveChangesInterceptor
{
    public static readonly SaveChangesGuard Instance = new();

    /// <summary>The audit rows waiting for one save of one context, and the transaction this save opened (if any).</summary>
    internal sealed class Pending(List<AuditTrail.Pending> rows, IDbContextTransaction? own)
    {
        public List<AuditTrail.Pending> Rows { get; } = rows;
        public IDbContextTransaction? Own { get; } = own;
        public bool Writing { get; set; }
    }

    public override InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result) =>
        throw new NotSupportedException("AppDbContext saves asynchronously (SaveChanges calls SaveChangesAsync).");

    public override async ValueTask<InterceptionResult<int>> SavingChangesAsync(DbContextEventData eventData, InterceptionResult<int> result, CancellationToken ct = default)
    {
        if (eventData.Context is not AppDbContext db || db.PendingAudit is not null) return result;
        await YearGuard.CheckAsync(db, ct);
        var rows = AuditTrail.Collect(db.ChangeTracker);
        if (rows.Count == 0) return result;
        var own = db.Database.CurrentTransaction is null ? await db.Database.BeginTransactionAsync(ct) : null;
        db.PendingAudit = new Pending(rows, own);
        return result;
    }

    public override async ValueTask<int> SavedChangesAsync(SaveChangesCompletedEventData eventData, int result, CancellationToken ct = default)
    {
        if (eventData.Context is not AppDbContext db || db.PendingAudit is not { Writing: false } pending) return result;
        pending.Writing = true;
        try
        {
            db.AuditEntries.AddRange(pending.Rows.Select(p => p.ToEntry(db.Actor, db.Clock.Now)));
            await db.SaveChangesAsync(ct);
            if (pending.Own is not null) await pending.Own.CommitAsync(ct);
        }
        finally
        {
            await EndAsync(db, pending);
        }
        return result;
    }

    public override async Task SaveChangesFailedAsync(DbContextErrorEventData eventData, CancellationToken ct = default)
    {
        if (eventData.Context is AppDbContext db && db.PendingAudit is { Writing: false } pending) await EndAsync(db, pending);
    }

    public override async Task SaveChangesCanceledAsync(DbContextEventData eventData, CancellationToken ct = default)
    {
        if (eventData.Context is AppDbContext db && db.PendingAudit is { Writing: false } pending) await EndAsync(db, pending);
    }

    /// <summary>Forgets the pending rows and ends the transaction this save opened (rolled back unless committed).</summary>
    private static async Task EndAsync(AppDbContext db, Pending pending)
    {
        db.PendingAudit = null;
        if (pending.Own is not null) await pending.Own.DisposeAsync();
    }
}
