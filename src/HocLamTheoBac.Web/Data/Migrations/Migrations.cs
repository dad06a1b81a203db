using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace HocLamTheoBac.Web.Data.Migrations;

[DbContext(typeof(AppDbContext)), Migration("0001_Initial")]
public sealed class Initial : SqlMigration;

[DbContext(typeof(AppDbContext)), Migration("0002_YearlyCycle")]
public sealed class YearlyCycle : SqlMigration;

[DbContext(typeof(AppDbContext)), Migration("0007_DataProtectionKeys")]
public sealed class DataProtectionKeys : SqlMigration;

[DbContext(typeof(AppDbContext)), Migration("0009_RollupIndexes")]
public sealed class RollupIndexes : SqlMigration;
