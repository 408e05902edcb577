// The orchestrator and dashboard are not built yet (issue: AppHost). Until then, start the services one by one:
//   redis-server &
//   dotnet run --project Fer.Trainer     (http://localhost:5100)
//   dotnet run --project Fer.Inference   (http://localhost:5200)
//   dotnet run --project Fer.Gateway     (http://localhost:8080)
Console.Error.WriteLine("Fer.AppHost is not implemented yet: start Redis, Fer.Trainer, Fer.Inference and Fer.Gateway one by one (see README).");
return 1;
