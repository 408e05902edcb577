using Fer.Cli;

return await FerCommandLine.RunAsync(args);
