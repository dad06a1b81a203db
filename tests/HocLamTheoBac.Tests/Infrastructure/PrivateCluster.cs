using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace HocLamTheoBac.Tests.Infrastructure;

/// <summary>A PostgreSQL cluster of a test's own, so the test may stop and start it (fault tests).</summary>
public sealed class PrivateCluster : IAsyncDisposable
{
    private readonly string _dir;
    private readonly string _bin;
    public int Port { get; }

    private PrivateCluster(string dir, string bin, int port) { _dir = dir; _bin = bin; Port = port; }

    public string ConnectionString(string database = "postgres") =>
        $"Host=127.0.0.1;Port={Port};Username=postgres;Database={database};Timeout=3;Command Timeout=10";

    public static async Task<PrivateCluster> CreateAsync()
    {
        var bin = Environment.GetEnvironmentVariable("HLB_PG_BIN") is { Length: > 0 } b ? b
            : Directory.GetDirectories("/usr/lib/postgresql").Select(d => Path.Combine(d, "bin")).OrderDescending().First(d => File.Exists(Path.Combine(d, "initdb")));
        var dir = Path.Combine(Path.GetTempPath(), "hlb-pc-" + Guid.NewGuid().ToString("N")[..10]);
        Directory.CreateDirectory(dir);
        await RunAsync("chown", "postgres:postgres", dir);
        await RunAsync("runuser", "-u", "postgres", "--", Path.Combine(bin, "initdb"), "-D", Path.Combine(dir, "data"), "-U", "postgres", "--auth=trust", "--encoding=UTF8", "--locale=C.UTF-8");
        var cluster = new PrivateCluster(dir, bin, FreePort());
        await cluster.StartAsync();
        return cluster;
    }

    public Task StartAsync() => RunAsync("runuser", "-u", "postgres", "--", Path.Combine(_bin, "pg_ctl"), "-D", Path.Combine(_dir, "data"), "-w", "-t", "60",
        "-l", Path.Combine(_dir, "log"), "-o", $"-p {Port} -c listen_addresses=127.0.0.1 -c unix_socket_directories={_dir} -c fsync=off", "start");

    public Task StopAsync() => RunAsync("runuser", "-u", "postgres", "--", Path.Combine(_bin, "pg_ctl"), "-D", Path.Combine(_dir, "data"), "-w", "-m", "fast", "stop");

    public async Task<string> CreateDatabaseAsync(string name)
    {
        await TestDatabase.ExecAsync($"CREATE DATABASE {name}", ConnectionString());
        return ConnectionString(name);
    }

    public async ValueTask DisposeAsync()
    {
        try { await StopAsync(); } catch (InvalidOperationException) { /* already stopped */ }
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }

    private static int FreePort()
    {
        var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        var port = ((IPEndPoint)l.LocalEndpoint).Port;
        l.Stop();
        return port;
    }

    public static async Task RunAsync(string file, params string[] args)
    {
        var psi = new ProcessStartInfo(file) { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        var err = p.StandardError.ReadToEndAsync();
        var outp = p.StandardOutput.ReadToEndAsync();
        await p.WaitForExitAsync();
        if (p.ExitCode != 0) throw new InvalidOperationException($"{file} {string.Join(' ', args)} failed: {await err}{await outp}");
    }
}
