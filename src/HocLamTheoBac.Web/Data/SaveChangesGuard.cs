using HocLamTheoBac.Web.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.EntityFrameworkCore.Metadata;

namespace HocLamTheoBac.Web.Data;

/// <summary>
/// What every save of <see cref="AppDbContext"/> goes through, wherever it comes from (pages, imports, restructuring, the
/// command line): the year guard refuses a change to a closed year (Data/YearGuard.cs), and the audit trail records who
/// changed what, before and after (Data/AuditTrail.cs), as rows of the same save: both are written, or neither.
/// New audited rows get their keys before the save, from the sequences behind their identity columns (the same numbers the
/// column default would have drawn, so bulk COPY paths that rely on the default are unaffected; ADR 0022).
/// </summary>
internal sealed class SaveChangesGuard : SaveChangesInterceptor
{
    public static readonly SaveChangesGuard Instance = new();

    public override InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result) =>
        throw new NotSupportedException("AppDbContext saves asynchronously (SaveChanges calls SaveChangesAsync).");

    public override async ValueTask<InterceptionResult<int>> SavingChangesAsync(DbContextEventData eventData, InterceptionResult<int> result, CancellationToken ct = default)
    {
        if (eventData.Context is not AppDbContext db) return result;
        Forget(db);
        await YearGuard.CheckAsync(db, ct);
        var rows = AuditTrail.Collect(db.ChangeTracker);
        if (rows.Count == 0) return result;
        await TakeKeysAsync(db, rows.Where(r => r.Entry.State == EntityState.Added).Select(r => r.Entry), ct);
        var at = db.Clock.Now;
        var entries = rows.Select(p => p.ToEntry(db.Actor, at)).ToList();
        db.AuditEntries.AddRange(entries);
        db.PendingAudit = entries;
        return result;
    }

    public override ValueTask<int> SavedChangesAsync(SaveChangesCompletedEventData eventData, int result, CancellationToken ct = default)
    {
        if (eventData.Context is AppDbContext db) db.PendingAudit = null;
        return ValueTask.FromResult(result);
    }

    public override Task SaveChangesFailedAsync(DbContextErrorEventData eventData, CancellationToken ct = default)
    {
        if (eventData.Context is AppDbContext db) Forget(db);
        return Task.CompletedTask;
    }

    public override Task SaveChangesCanceledAsync(DbContextEventData eventData, CancellationToken ct = default)
    {
        if (eventData.Context is AppDbContext db) Forget(db);
        return Task.CompletedTask;
    }

    /// <summary>
    /// A save that failed (a conflict, a refusal) leaves its audit rows unwritten: they must not ride along with the next
    /// save of the same context, which collects its own.
    /// </summary>
    private static void Forget(AppDbContext db)
    {
        if (db.PendingAudit is not { } pending) return;
        db.PendingAudit = null;
        foreach (var e in pending)
        {
            var entry = db.Entry(e);
            if (entry.State == EntityState.Added) entry.State = EntityState.Detached;
        }
    }

    /// <summary>
    /// Gives each new row whose key the database would generate its key now, one query per table: nextval on the sequence
    /// of its identity column (BY DEFAULT, so an explicit value is accepted). EF then inserts the row with that key and
    /// fixes up the rows that point to it.
    /// </summary>
    private static async Task TakeKeysAsync(AppDbContext db, IEnumerable<EntityEntry> added, CancellationToken ct)
    {
        var waiting = added
            .SelectMany(e => e.Metadata.FindPrimaryKey()!.Properties
                .Where(p => e.Property(p.Name).IsTemporary && (p.ClrType == typeof(int) || p.ClrType == typeof(long)))
                .Select(p => (Entry: e, Key: p)))
            .GroupBy(x => (Table: x.Entry.Metadata.GetSchemaQualifiedTableName()!, Column: ColumnOf(x.Entry.Metadata, x.Key)));
        foreach (var table in waiting)
        {
            var keys = await db.ListAsync("SELECT nextval(pg_get_serial_sequence($1, $2)) FROM generate_series(1, $3)", p =>
            {
                p.AddWithValue(table.Key.Table);
                p.AddWithValue(table.Key.Column);
                p.AddWithValue(table.Count());
            }, r => r.GetInt64(0), ct);
            foreach (var ((entry, key), value) in table.Zip(keys))
            {
                var property = entry.Property(key.Name);
                property.CurrentValue = key.ClrType == typeof(int) ? checked((int)value) : (object)value;
                property.IsTemporary = false;
            }
        }
    }

    private static string ColumnOf(IEntityType entity, IProperty key) =>
        key.GetColumnName(StoreObjectIdentifier.Table(entity.GetTableName()!, entity.GetSchema()))!;
}
