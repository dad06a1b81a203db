FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
COPY . .
RUN dotnet publish src/HocLamTheoBac.Web/HocLamTheoBac.Web.csproj -c Release --use-current-runtime --self-contained false -p:PublishReadyToRun=true -o /app

FROM mcr.microsoft.com/dotnet/aspnet:10.0
WORKDIR /app
COPY --from=build /app .
# Keys and evidence live in a volume outside the published folder, owned by the unprivileged app user.
RUN mkdir -p /var/lib/hoclamtheobac && chown "$APP_UID" /var/lib/hoclamtheobac && chmod 0700 /var/lib/hoclamtheobac
USER $APP_UID
ENV ASPNETCORE_URLS=http://0.0.0.0:8080
EXPOSE 8080
ENTRYPOINT ["dotnet", "HocLamTheoBac.Web.dll"]
