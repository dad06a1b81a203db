using System.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;

namespace HocLamTheoBac.Web.Data;

/// <summary>
/// SQL the model cannot express, run on the context's own connection and inside its current transaction (so it sees
/// and is part of what the request has written). The connection is opened for the call when EF has not opened it, and
/// closed again after.
/// </summary>
public static class RawSql
{
    /// <summary>Runs <paramref name="run"/> with the context's connection, open.</summary>
    public static async Task<T> OnConnectionAsync<T>(this AppDbContext db, Func<NpgsqlConnection, Task<T>> run, CancellationToken ct)
    {
        var opened = db.Database.GetDbConnection().State != ConnectionState.Open;
        if (opened) await db.Database.OpenConnectionAsync(ct);
        try { return await run((NpgsqlConnection)db.Database.GetDbConnection()); }
        finally { if (opened) await db.Database.CloseConnectionAsync(); }
    }

    /// <summary>Runs <paramref name="run"/> with a command of <paramref name="sql"/> on the context's connection and transaction.</summary>
    public static Task<T> WithCommandAsync<T>(this AppDbContext db, string sql, Func<NpgsqlCommand, Task<T>> run, CancellationToken ct) =>
        db.OnConnectionAsync(async conn =>
        {
            await using var cmd = conn.CreateCommand();
            cmd.Transaction = (NpgsqlTransaction?)db.Database.CurrentTransaction?.GetDbTransaction();
            cmd.CommandText = sql;
            return await run(cmd);
        }, ct);

    /// <summary>Reads every row of <paramref name="sql"/> with <paramref name="row"/>.</summary>
    public static Task<List<T>> ListAsync<T>(this AppDbContext db, string sql, Action<NpgsqlParameterCollection> parameters, Func<NpgsqlDataReader, T> row, CancellationToken ct) =>
        db.WithCommandAsync(sql, async cmd =>
        {
            parameters(cmd.Parameters);
            var rows = new List<T>();
            await using var r = await cmd.ExecuteReaderAsync(ct);
            while (await r.ReadAsync(ct)) rows.Add(row(r));
            return rows;
        }, ct);

    /// <summary>
    /// A query of the model as a command of a batch (<see cref="NpgsqlBatch"/>: several reads in one round trip): the SQL
    /// and parameters EF generates for it, query filters included. Read its result by position, in the projection's order.
    /// </summary>
    public static NpgsqlBatchCommand ToBatchCommand(this IQueryable query)
    {
        using var cmd = query.CreateDbCommand();
        var c = new NpgsqlBatchCommand(cmd.CommandText);
        foreach (NpgsqlParameter p in cmd.Parameters) c.Parameters.Add(p.Clone());
        return c;
    }

    /// <summary>The first column of the first row of <paramref name="sql"/>.</summary>
    public static Task<object?> ScalarAsync(this AppDbContext db, string sql, CancellationToken ct) =>
        db.WithCommandAsync(sql, cmd => cmd.ExecuteScalarAsync(ct), ct);
}
