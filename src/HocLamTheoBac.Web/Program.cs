using HocLamTheoBac.Web.Cli;
using HocLamTheoBac.Web.Infrastructure;

if (CommandLine.IsVerb(args))
    return await CommandLine.RunAsync(args);

var builder = WebApplication.CreateBuilder(args);
builder.WebHost.ConfigureKestrel(RequestGuard.ConfigureKestrel);
builder.AddAppLogging();
builder.Services.AddAppDatabase();
builder.Services.AddAppIdentity();
builder.Services.AddAppWeb(builder.Environment, builder.Configuration);

var app = builder.Build();
if (!await Startup.PrepareDatabaseAsync(app))
    return 1;
app.UseAppPipeline();
await app.RunAsync();
return 0;

public partial class Program;
