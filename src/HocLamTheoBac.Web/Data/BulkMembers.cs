using System.Text.Json;
using HocLamTheoBac.Web.Domain;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using NpgsqlTypes;

namespace HocLamTheoBac.Web.Data;

/// <summary>
/// Inserts many members with binary COPY inside the context's current transaction: ids from the
/// sequence in one round trip, then members, their branch periods and one audit row each.
/// </summary>
public static class BulkMembers
{
    /// <summary>Inserts the members; each active one starts its branch period on <paramref name="validFrom"/>(member) (sinh hoạt tại chi bộ từ ngày).</summary>
    public static async Task InsertAsync(AppDbContext db, IReadOnlyList<Member> members, Func<Member, DateOnly> validFrom, CancellationToken ct)
    {
        if (db.Database.CurrentTransaction is null) throw new InvalidOperationException("BulkMembers.InsertAsync needs a transaction.");
        var conn = (NpgsqlConnection)db.Database.GetDbConnection();
        var ids = await db.ListAsync("SELECT nextval(pg_get_serial_sequence('members', 'id'))::int FROM generate_series(1, $1)",
            p => p.AddWithValue(members.Count), r => r.GetInt32(0), ct);
        for (var i = 0; i < members.Count; i++) members[i].Id = ids[i];

        await using (var w = await conn.BeginBinaryImportAsync(
            "COPY members (id, full_name, birth_date, gender, card_number, admitted_on, official_on, position, branch_id, phone, email, status) FROM STDIN (FORMAT BINARY)", ct))
        {
            foreach (var m in members)
            {
                await w.StartRowAsync(ct);
                await w.WriteAsync(m.Id, NpgsqlDbType.Integer, ct);
                await w.WriteAsync(m.FullName, NpgsqlDbType.Varchar, ct);
                await WriteNullable(w, m.BirthDate, NpgsqlDbType.Date, ct);
                await WriteNullable(w, (int?)m.Gender, NpgsqlDbType.Integer, ct);
                await WriteNullable(w, m.CardNumber, NpgsqlDbType.Varchar, ct);
                await WriteNullable(w, m.AdmittedOn, NpgsqlDbType.Date, ct);
                await WriteNullable(w, m.OfficialOn, NpgsqlDbType.Date, ct);
                await WriteNullable(w, m.Position, NpgsqlDbType.Varchar, ct);
                await w.WriteAsync(m.BranchId, NpgsqlDbType.Integer, ct);
                await WriteNullable(w, m.Phone, NpgsqlDbType.Varchar, ct);
                await WriteNullable(w, m.Email, NpgsqlDbType.Varchar, ct);
                await w.WriteAsync((int)m.Status, NpgsqlDbType.Integer, ct);
            }
            await w.CompleteAsync(ct);
        }
        await using (var w = await conn.BeginBinaryImportAsync("COPY member_branch_periods (member_id, branch_id, valid_from) FROM STDIN (FORMAT BINARY)", ct))
        {
            // Only an active member stands in a branch (MemberStanding, the rule the member form follows).
            foreach (var m in members.Where(m => MemberStanding.StandsInBranch(m.Status)))
            {
                await w.StartRowAsync(ct);
                await w.WriteAsync(m.Id, NpgsqlDbType.Integer, ct);
                await w.WriteAsync(m.BranchId, NpgsqlDbType.Integer, ct);
                await w.WriteAsync(validFrom(m), NpgsqlDbType.Date, ct);
            }
            await w.CompleteAsync(ct);
        }
        var at = db.Clock.Now;
        var json = new JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
        await using (var w = await conn.BeginBinaryImportAsync("COPY audit_entries (at, actor, user_id, action, entity_type, entity_id, org_unit_id, after, note) FROM STDIN (FORMAT BINARY)", ct))
        {
            foreach (var m in members)
            {
                await w.StartRowAsync(ct);
                await w.WriteAsync(at, NpgsqlDbType.TimestampTz, ct);
                await w.WriteAsync(db.Actor.Name, NpgsqlDbType.Varchar, ct);
                await WriteNullable(w, db.Actor.UserId, NpgsqlDbType.Text, ct);
                await w.WriteAsync("Thêm", NpgsqlDbType.Varchar, ct);
                await w.WriteAsync(nameof(Member), NpgsqlDbType.Varchar, ct);
                await w.WriteAsync(m.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), NpgsqlDbType.Varchar, ct);
                await w.WriteAsync(m.BranchId, NpgsqlDbType.Integer, ct);
                var after = JsonSerializer.Serialize(new { m.Id, m.FullName, m.BirthDate, Gender = m.Gender?.ToString(), m.CardNumber, m.AdmittedOn, m.OfficialOn, m.Position, m.BranchId, m.Phone, m.Email, Status = m.Status.ToString() }, json);
                await w.WriteAsync(after, NpgsqlDbType.Jsonb, ct);
                await w.WriteAsync("Nhập từ tệp", NpgsqlDbType.Text, ct);
            }
            await w.CompleteAsync(ct);
        }
    }

    private static Task WriteNullable<T>(NpgsqlBinaryImporter w, T? value, NpgsqlDbType type, CancellationToken ct) where T : struct =>
        value is { } v ? w.WriteAsync(v, type, ct) : w.WriteNullAsync(ct);

    private static Task WriteNullable(NpgsqlBinaryImporter w, string? value, NpgsqlDbType type, CancellationToken ct) =>
        value is not null ? w.WriteAsync(value, type, ct) : w.WriteNullAsync(ct);
}
