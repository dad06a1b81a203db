using System.Text.Json;
using HocLamTheoBac.Web.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;

namespace HocLamTheoBac.Web.Data;

/// <summary>Turns tracked changes of <see cref="IAudited"/> entities into audit rows (who, when, before, after).</summary>
internal static class AuditTrail
{
    private static readonly JsonSerializerOptions Json = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    internal sealed record Pending(EntityEntry Entry, string Action, Dictionary<string, object?>? Before, string? Note, Dictionary<string, object?>? ChangedAfter = null)
    {
        public AuditEntry ToEntry(ICurrentActor actor, DateTimeOffset at)
        {
            var entity = (IAudited)Entry.Entity;
            // A modification's new values are taken before the save: afterwards nothing is "modified" any more.
            // A deletion has no after; a soft deletion's after is what it changed (DeletedAt), as before it was extended (attack walk, session 15).
            var after = Action == "Xóa" && ChangedAfter is null ? null : ChangedAfter ?? Values(Entry, original: false, onlyChanged: Before is not null);
            return new AuditEntry
            {
                At = at,
                Actor = actor.Name,
                UserId = actor.UserId,
                Action = Action,
                EntityType = Entry.Metadata.ClrType.Name,
                EntityId = string.Join(",", Entry.Metadata.FindPrimaryKey()!.Properties.Select(p => Entry.Property(p.Name).CurrentValue)),
                OrgUnitId = entity.AuditOrgUnitId,
                Before = Before is null ? null : JsonSerializer.Serialize(Before, Json),
                After = after is null ? null : JsonSerializer.Serialize(after, Json),
                Note = Note,
            };
        }
    }

    public static List<Pending> Collect(ChangeTracker tracker)
    {
        var list = new List<Pending>();
        foreach (var e in tracker.Entries())
        {
            if (e.Entity is not IAudited) continue;
            var note = e.Entity is IAuditNote n ? n.TakeAuditNote() : null;
            switch (e.State)
            {
                case EntityState.Added:
                    list.Add(new Pending(e, "Thêm", null, note));
                    break;
                case EntityState.Modified:
                    // A soft deletion keeps, like a deletion, every value the record had (the attack walk of session 14:
                    // a removed grade's audit showed only {"DeletedAt": null}, not the level and note removed).
                    var softDeleted = e.Entity is ISoftDeletable { DeletedAt: not null } && e.Property(nameof(ISoftDeletable.DeletedAt)).IsModified;
                    var before = Values(e, original: true, onlyChanged: !softDeleted);
                    if (before.Count > 0) list.Add(new Pending(e, softDeleted ? "Xóa" : "Sửa", before, note, Values(e, original: false, onlyChanged: true)));
                    break;
                case EntityState.Deleted:
                    list.Add(new Pending(e, "Xóa", Values(e, original: true, onlyChanged: false), note));
                    break;
            }
        }
        return list;
    }

    private static object? Plain(object? v) => v switch { LTree t => t.ToString(), Enum en => en.ToString(), byte[] b => $"({b.Length} byte)", _ => v };

    private static Dictionary<string, object?> Values(EntityEntry e, bool original, bool onlyChanged)
    {
        var d = new Dictionary<string, object?>();
        foreach (var p in e.Properties)
        {
            if (p.Metadata.Name == "Version" || p.Metadata.Name.EndsWith("Hash", StringComparison.Ordinal) || p.Metadata.Name == "SecurityStamp" || p.Metadata.Name == "ConcurrencyStamp") continue;
            if (onlyChanged && !p.IsModified) continue;
            var v = original ? p.OriginalValue : p.CurrentValue;
            d[p.Metadata.Name] = Plain(v);
        }
        return d;
    }
}

