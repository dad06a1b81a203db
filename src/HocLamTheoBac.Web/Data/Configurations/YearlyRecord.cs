using HocLamTheoBac.Web.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace HocLamTheoBac.Web.Data.Configurations;

internal static class YearlyRecord
{
    /// <summary>Owner unit + year index, FK to the unit, soft-delete filter: the common shape of yearly records.</summary>
    public static void Owned<T>(this EntityTypeBuilder<T> b, System.Linq.Expressions.Expression<Func<T, object?>> unitAndYear, string unitFk) where T : class
    {
        b.HasIndex(unitAndYear);
        b.HasOne<OrgUnit>().WithMany().HasForeignKey(unitFk).OnDelete(DeleteBehavior.Restrict);
        if (typeof(ISoftDeletable).IsAssignableFrom(typeof(T)))
            b.HasQueryFilter(x => ((ISoftDeletable)x).DeletedAt == null);
    }
}
