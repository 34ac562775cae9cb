global using StatefulFunctions;
