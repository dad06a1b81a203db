using Npgsql;

namespace HocLamTheoBac.Web.Infrastructure;

/// <summary>
/// Endpoint metadata (an attribute of a page's model) of a page whose view sends its first statements in the same batch as
/// the cookie check's account statement (<see cref="AccessService.ReadAccountAsync(string, HttpContext, IReadsWithAccount, CancellationToken)"/>):
/// one round trip for both (docs/performance.md, GRID20; ADR 0038). The account is still read first and afresh at every
/// request and compared by <see cref="SessionCheck"/> before anything else runs; the view's results are only read ahead.
/// </summary>
public interface IReadsWithAccount
{
    /// <summary>Adds the view's first statements to the batch after the account's and returns what reads their results, or
    /// null (nothing added) when the request is not such a view (a post, an address the page would not read this way).</summary>
    ViewReadWithAccount? Add(HttpContext http, NpgsqlBatch batch);
}

/// <summary>A view's first results read with the account (<see cref="IReadsWithAccount"/>), kept in the request's features
/// with the open connection they came on, until the page takes them (<see cref="Take{T}"/>) or the request ends (the
/// connection is disposed then). Dropped at once when the session check refuses the cookie.</summary>
public abstract class ViewReadWithAccount
{
    /// <summary>The data source's connection the batch ran on, still open: the page reads the rest of its view on it.</summary>
    public NpgsqlConnection? Connection { get; set; }

    /// <summary>Reads the view's results from the batch's reader, positioned on the first of them.</summary>
    public abstract Task ReadAsync(NpgsqlDataReader r, CancellationToken ct);

    /// <summary>The request's read-ahead of that type, removed from the request (taken once), or null.</summary>
    public static T? Take<T>(HttpContext http) where T : ViewReadWithAccount
    {
        if (http.Features.Get<ViewReadWithAccount>() is not T read) return null;
        http.Features.Set<ViewReadWithAccount>(null);
        return read;
    }

    /// <summary>Drops the request's read-ahead unread and returns its connection to the pool (a refused cookie).</summary>
    public static async Task DropAsync(HttpContext http)
    {
        if (http.Features.Get<ViewReadWithAccount>() is not { } read) return;
        http.Features.Set<ViewReadWithAccount>(null);
        if (read.Connection is { } conn) await conn.DisposeAsync();
    }
}
