using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace HocLamTheoBac.Web.Data;

/// <summary>
/// EF's SQL of a LINQ query, generated once and then run by Npgsql and read by position (the views without EF's per-request
/// context: the grid's unit and roster, the member's page, the dashboard's issued reports; docs/performance.md, GRIDFLOOR,
/// GRID17, MEMBER17, DASH17). The rules stay in the LINQ query; only the reading is by hand. The
/// query is built with distinct sample values; each of EF's parameters is tied to the value it was generated with, and a
/// run gives each its real value. A parameter that is no sample (a value EF did not inline) throws when the SQL is generated.
/// </summary>
internal sealed class KeptStatement
{
    private readonly string _sql;
    private readonly List<(NpgsqlParameter Template, int Which)> _parameters = [];

    /// <summary>How many columns the query's projection has: a reader of another count throws (<see cref="CheckColumns"/>).</summary>
    public int ColumnCount { get; }

    private KeptStatement(string sql, int columns) => (_sql, ColumnCount) = (sql, columns);

    /// <summary>The SQL of <paramref name="query"/>, whose parameters come from <paramref name="samples"/> (the i-th sample is
    /// the i-th value given to <see cref="Create"/>).</summary>
    public static KeptStatement Of(IQueryable query, int columns, params object[] samples)
    {
        using var cmd = query.CreateDbCommand();
        return Of(cmd.CommandText, cmd.Parameters.Cast<NpgsqlParameter>(), columns, samples);
    }

    /// <summary>A statement already made from a query (e.g. a batch command that wraps EF's SQL), its parameters from <paramref name="samples"/>.</summary>
    public static KeptStatement Of(NpgsqlBatchCommand command, int columns, params object[] samples) =>
        Of(command.CommandText, command.Parameters, columns, samples);

    private static KeptStatement Of(string sql, IEnumerable<NpgsqlParameter> parameters, int columns, object[] samples)
    {
        var s = new KeptStatement(sql, columns);
        foreach (var p in parameters)
        {
            var which = Array.FindIndex(samples, x => Equals(x, p.Value));
            if (which < 0) throw new InvalidOperationException($"The parameter {p.ParameterName} of a kept statement is none of its sample values.");
            s._parameters.Add((p.Clone(), which));
        }
        return s;
    }

    /// <summary>The statement with the values in the order of the samples it was generated with.</summary>
    public NpgsqlCommand Create(NpgsqlConnection conn, NpgsqlTransaction? tx, params object[] values)
    {
        var cmd = new NpgsqlCommand(_sql, conn, tx);
        foreach (var (template, which) in _parameters)
        {
            var p = template.Clone();
            p.Value = values[which];
            cmd.Parameters.Add(p);
        }
        return cmd;
    }

    /// <summary>The statement as a command of a batch, with the values in the order of the samples.</summary>
    public NpgsqlBatchCommand CreateBatchCommand(params object[] values)
    {
        var cmd = new NpgsqlBatchCommand(_sql);
        foreach (var (template, which) in _parameters)
        {
            var p = template.Clone();
            p.Value = values[which];
            cmd.Parameters.Add(p);
        }
        return cmd;
    }

    public void CheckColumns(NpgsqlDataReader r)
    {
        if (r.FieldCount != ColumnCount) throw new InvalidOperationException($"A kept statement has {r.FieldCount} columns, its reader reads {ColumnCount}.");
    }

    // Kept by the options the SQL was generated under (one model each): the site's options are one instance for the process
    // (so the context itself is not touched after the first time); the tests build contexts with other options.
    private static readonly ConditionalWeakTable<DbContextOptions<AppDbContext>, ConcurrentDictionary<string, object>> Kept = new();

    /// <summary>The statement <paramref name="name"/> for <paramref name="db"/>'s options, made by <paramref name="make"/> the first time.</summary>
    public static KeptStatement For(AppDbContext db, string name, Func<AppDbContext, KeptStatement> make) => For<KeptStatement>(db, name, make);

    /// <summary>Anything made of kept statements (e.g. a page's batch of them) under <paramref name="name"/> for
    /// <paramref name="db"/>'s options, made by <paramref name="make"/> the first time.</summary>
    public static T For<T>(AppDbContext db, string name, Func<AppDbContext, T> make) where T : class =>
        (T)Kept.GetValue(db.Options, _ => new()).GetOrAdd(name, static (_, a) => a.make(a.db), (make, db));
}
