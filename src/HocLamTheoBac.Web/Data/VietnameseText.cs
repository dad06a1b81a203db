using System.Globalization;
using System.Linq.Expressions;
using Microsoft.EntityFrameworkCore;

namespace HocLamTheoBac.Web.Data;

/// <summary>
/// Search and sorting as Vietnamese users expect. In SQL: <see cref="Fold"/> (lower case, no accents, đ → d;
/// PostgreSQL's unaccent behind a trigram index) and <see cref="GivenName"/> (the given name) ordered with the
/// ICU collation "vi-x-icu", then the full name. In memory: <see cref="NameComparer"/>, the same order.
/// The SQL functions are created by the migration VietnameseSearch.
/// </summary>
public static class VietnameseText
{
    public const string Collation = "vi-x-icu";

    /// <summary>SQL hlb_fold(text): lower(unaccent(text)).</summary>
    public static string Fold(string text) => throw new InvalidOperationException("Only in LINQ to SQL.");

    /// <summary>SQL hlb_given_name(text): "Trần Văn Bình" → "Bình" (the last word).</summary>
    public static string GivenName(string fullName) => throw new InvalidOperationException("Only in LINQ to SQL.");

    /// <summary>A LIKE pattern matching text that contains <paramref name="query"/>, folded the same way as <see cref="Fold"/>.</summary>
    public static string Contains(string query) => "%" + FoldInMemory(query).Replace("\\", "\\\\").Replace("%", "\\%").Replace("_", "\\_") + "%";

    /// <summary>
    /// Folded as <see cref="Fold"/> folds, less the characters nobody sees (zero-width spaces and joiners, direction marks,
    /// the byte-order mark: Unicode's format characters): a name pasted from a chat or a document often brings one, and the
    /// search found nothing (the walk of session 18).
    /// </summary>
    public static string FoldInMemory(string text)
    {
        var d = text.ToLowerInvariant().Replace('đ', 'd').Normalize(System.Text.NormalizationForm.FormD);
        return new string(d.Where(c => CharUnicodeInfo.GetUnicodeCategory(c) is not (UnicodeCategory.NonSpacingMark or UnicodeCategory.Format)).ToArray())
            .Normalize(System.Text.NormalizationForm.FormC).Trim();
    }

    public static string GivenNameInMemory(string fullName) =>
        fullName.Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries).LastOrDefault() ?? "";

    private static readonly CompareInfo Vi = CultureInfo.GetCultureInfo("vi-VN").CompareInfo;

    /// <summary>Given name, then family and middle names, in Vietnamese order (a, ă, â, b, … đ after d).</summary>
    public static readonly IComparer<string> NameComparer =
        Comparer<string>.Create((a, b) =>
        {
            var byGiven = Vi.Compare(GivenNameInMemory(a), GivenNameInMemory(b), CompareOptions.None);
            return byGiven != 0 ? byGiven : Vi.Compare(a.Trim(), b.Trim(), CompareOptions.None);
        });

    /// <summary>Other text (unit names) in Vietnamese letter order, in memory: what "vi-x-icu" does in SQL.</summary>
    public static readonly IComparer<string> TextComparer = Comparer<string>.Create((a, b) => Vi.Compare(a, b, CompareOptions.None));

    /// <summary>People in Vietnamese name order, in SQL: given name, then the full name, both in "vi-x-icu" (the one order of ADR 0017).</summary>
    public static IOrderedQueryable<T> OrderByName<T>(this IQueryable<T> query, Expression<Func<T, string>> name) =>
        query.OrderBy(Given(name)).ThenBy(Full(name));

    /// <summary>Then by Vietnamese name order, after another key (branch, position).</summary>
    public static IOrderedQueryable<T> ThenByName<T>(this IOrderedQueryable<T> query, Expression<Func<T, string>> name) =>
        query.ThenBy(Given(name)).ThenBy(Full(name));

    /// <summary>The same order in memory (lists already loaded).</summary>
    /// <remarks>Each name's ICU sort keys are computed once and compared as bytes (the same order as <see cref="NameComparer"/>,
    /// which splits and collates both names on every comparison: a 932-member branch's grid spent a fifth of its time there).</remarks>
    public static IOrderedEnumerable<T> ThenByName<T>(this IOrderedEnumerable<T> rows, Func<T, string> name) =>
        rows.ThenBy(r => NameKey(name(r)), NameKeyComparer);

    /// <summary>A name's place in Vietnamese name order as a key kept between requests (<see cref="CompareNameKeys"/> orders two
    /// keys as <see cref="ThenByName{T}(IOrderedEnumerable{T}, Func{T, string})"/> orders their names): for a sort that
    /// compares several keys at once (the branch grid's members, BranchGridQuery).</summary>
    public static (SortKey Given, SortKey Full) NameKey(string name)
    {
        if (NameKeys.TryGetValue(name, out var key)) return key;
        key = (Vi.GetSortKey(GivenNameInMemory(name), CompareOptions.None), Vi.GetSortKey(name.Trim(), CompareOptions.None));
        // Bounded: emptied when full (a key is a pure function of the name, so a miss only costs its computation again).
        if (Interlocked.Increment(ref _nameKeysAdded) > NameKeysKept) { NameKeys.Clear(); Interlocked.Exchange(ref _nameKeysAdded, 0); }
        NameKeys.TryAdd(name, key);
        return key;
    }

    /// <summary>Names' ICU sort keys kept between requests: computing them was most of the largest branch's grid ordering
    /// (932 names, two keys each, every view; docs/performance.md, session 8). At most this many names (a few MB).</summary>
    public const int NameKeysKept = 50_000;
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, (SortKey Given, SortKey Full)> NameKeys = new(StringComparer.Ordinal);
    private static int _nameKeysAdded;

    private static readonly IComparer<(SortKey Given, SortKey Full)> NameKeyComparer =
        Comparer<(SortKey Given, SortKey Full)>.Create(CompareNameKeys);

    /// <summary>Two names' keys (<see cref="NameKey"/>) in Vietnamese name order: given name, then the full name.</summary>
    public static int CompareNameKeys((SortKey Given, SortKey Full) a, (SortKey Given, SortKey Full) b)
    {
        var byGiven = SortKey.Compare(a.Given, b.Given);
        return byGiven != 0 ? byGiven : SortKey.Compare(a.Full, b.Full);
    }

    private static Expression<Func<T, string>> Given<T>(Expression<Func<T, string>> name) =>
        Compose(name, n => EF.Functions.Collate(GivenName(n), Collation));

    private static Expression<Func<T, string>> Full<T>(Expression<Func<T, string>> name) =>
        Compose(name, n => EF.Functions.Collate(n, Collation));

    private static Expression<Func<T, string>> Compose<T>(Expression<Func<T, string>> name, Expression<Func<string, string>> outer) =>
        Expression.Lambda<Func<T, string>>(new Replace(outer.Parameters[0], name.Body).Visit(outer.Body), name.Parameters);

    private sealed class Replace(ParameterExpression from, Expression to) : ExpressionVisitor
    {
        protected override Expression VisitParameter(ParameterExpression node) => node == from ? to : base.VisitParameter(node);
    }
}
