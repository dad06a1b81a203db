using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace HocLamTheoBac.Web.Data.Configurations;

/// <summary>The official EF Core key store's entity on the existing table data_protection_keys (id, friendly_name, xml, created_at).</summary>
internal sealed class DataProtectionKeyConfiguration : IEntityTypeConfiguration<DataProtectionKey>
{
    public void Configure(EntityTypeBuilder<DataProtectionKey> b)
    {
        b.ToTable("data_protection_keys");
        b.Property(x => x.FriendlyName).HasMaxLength(200);
        // Kept from the hand-written store: when a key was stored (the package's entity has no such property).
        b.Property<DateTimeOffset>("CreatedAt").HasDefaultValueSql("now()");
    }
}
